//! The HTTP side of the wire: our requests going out ([`client`]), the responses coming back to our listener
//! ([`callback`]), and the calls waiting between the two ([`pending`]).

pub mod callback;
pub mod client;
pub mod pending;
