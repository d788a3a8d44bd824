//! What instances on one database tell each other, by `NOTIFY` (no broker besides the database):
//!
//! - payment changes: every committed payment save announces the payment's id (inside its transaction, so only
//!   committed changes are heard, in commit order); each instance wakes the event streams it holds for it;
//! - relayed wire messages: a BBPS response the network posted to an instance that did not ask for it is
//!   archived and its archive id announced; the instance waiting for it reads it from the archive.
//!
//! Each instance follows the channels on a connection of its own. What is announced while that connection is
//! down is not heard (it comes back within a second): the widget's own polling covers a payment change, and the
//! engine asks the network again for a response that never reached its call.

use std::time::Duration;

use bbps_core::{PaymentId, Secret};
use bbps_engine::ports::StoreError;
use bbps_engine::wire_archive::WireMessageId;
use deadpool_postgres::GenericClient;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_postgres::AsyncMessage;

use crate::{Db, execute, tls};

/// The `NOTIFY` channel of payment changes.
pub const CHANNEL: &str = "bbps_payment_changed";

/// The `NOTIFY` channel of received wire messages archived for another instance.
pub const RELAY_CHANNEL: &str = "bbps_wire_relay";

/// What another instance announced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announcement {
    PaymentChanged(PaymentId),
    WireMessage(WireMessageId),
}

impl Announcement {
    fn read(channel: &str, payload: &str) -> Option<Announcement> {
        match channel {
            CHANNEL => PaymentId::parse(payload).ok().map(Announcement::PaymentChanged),
            RELAY_CHANNEL => payload.parse().ok().map(|id| Announcement::WireMessage(WireMessageId(id))),
            _ => None,
        }
    }
}

/// How long to wait before listening again after the connection is lost.
const RECONNECT: Duration = Duration::from_secs(1);

pub(crate) async fn announce(c: &impl GenericClient, id: &PaymentId) -> Db<()> {
    execute(c, "SELECT pg_notify($1, $2)", &[&CHANNEL, &id.as_str()]).await?;
    Ok(())
}

/// Calls `on_change` with everything any instance announces from now on, until `stop` turns true. The returned
/// receiver turns true each time the listening connection is up (and false while it is down), so a starting
/// instance can wait until it hears before it serves.
pub fn follow_changes(
    url: &Secret,
    on_change: impl Fn(Announcement) + Send + Sync + 'static,
    mut stop: watch::Receiver<bool>,
) -> Result<(JoinHandle<()>, watch::Receiver<bool>), StoreError> {
    let config: tokio_postgres::Config =
        url.expose().parse().map_err(|e| StoreError::Backend(format!("the PostgreSQL URL does not read: {e}")))?;
    let tls = tls::connector()?;
    let (listening_tx, listening) = watch::channel(false);
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                lost = listen(&config, tls.clone(), &on_change, &listening_tx) => {
                    listening_tx.send_replace(false);
                    tracing::warn!(reason = %lost, "the payment change feed was lost; listening again");
                }
                _ = stopping(&mut stop) => return,
            }
            tokio::select! {
                _ = tokio::time::sleep(RECONNECT) => {}
                _ = stopping(&mut stop) => return,
            }
        }
    });
    Ok((task, listening))
}

/// Resolves once `stop` turns true; holds no borrow of the channel across an await.
async fn stopping(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopping| *stopping).await;
}

/// Listens until the connection ends; why it ended.
async fn listen(
    config: &tokio_postgres::Config,
    tls: tokio_postgres_rustls::MakeRustlsConnect,
    on_change: &(impl Fn(Announcement) + Sync),
    listening: &watch::Sender<bool>,
) -> String {
    let (client, mut connection) = match config.connect(tls).await {
        Ok(pair) => pair,
        Err(e) => return crate::with_causes(&e),
    };
    // The connection delivers notifications only while it is polled: a task of its own forwards them.
    let (tx, mut notices) = mpsc::unbounded_channel();
    let driver = tokio::spawn(async move {
        let mut messages = std::pin::pin!(futures_util::stream::poll_fn(move |cx| connection.poll_message(cx)));
        while let Some(message) = futures_util::StreamExt::next(&mut messages).await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if tx.send((n.channel().to_owned(), n.payload().to_owned())).is_err() {
                        return "the listener stopped".to_owned();
                    }
                }
                Ok(_) => {}
                Err(e) => return crate::with_causes(&e),
            }
        }
        "the server closed the connection".to_owned()
    });
    if let Err(e) = client.batch_execute(&format!("LISTEN {CHANNEL}; LISTEN {RELAY_CHANNEL}")).await {
        driver.abort();
        return crate::with_causes(&e);
    }
    listening.send_replace(true);
    while let Some((channel, payload)) = notices.recv().await {
        match Announcement::read(&channel, &payload) {
            Some(announced) => on_change(announced),
            None => tracing::warn!(%channel, %payload, "an announcement that does not read"),
        }
    }
    drop(client);
    driver.await.unwrap_or_else(|e| e.to_string())
}
