//! A value asked of the server.

use crate::api::Failure;

/// A value the server is asked for: not asked, on its way, arrived, or refused. One field where there were a
/// `loading` flag and an `Option` beside it, so "loading" and "loaded" cannot both be said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Remote<T> {
    #[default]
    Idle,
    Loading,
    Ready(T),
    /// The call failed; what the customer is told about it is the flow's [`crate::flow::Problem`] or a field's
    /// error.
    Failed(Failure),
}

impl<T> Remote<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Remote::Ready(v) => Some(v),
            Remote::Idle | Remote::Loading | Remote::Failed(_) => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Remote::Loading)
    }
}
