//! The embedded sandbox BBPS network: a realistic catalogue, deterministic outcomes chosen by documented test
//! accounts, and its own ledger (fetches, payments by refId, complaints) in the same SQLite file.

pub mod accounts;
pub mod catalogue;
pub mod generator;
mod ids;
pub mod network;

pub use network::SandboxNetwork;
