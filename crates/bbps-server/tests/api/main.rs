//! Integration tests over real HTTP on loopback: each test starts its own server with its own SQLite file.

mod common;

mod auth;
mod bills;
mod catalogue;
mod demo_site;
mod errors;
mod hardening;
mod hosting;
mod lifecycle;
mod live;
mod merchant;
mod openapi;
mod payments;
mod postgres;
mod privacy;
mod readiness;
mod restart;
mod tracking;
mod wire;
