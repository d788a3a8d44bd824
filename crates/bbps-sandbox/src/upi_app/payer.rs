//! The payer's bank, as the sandbox UPI app plays it: it pays a link through the PSP simulator's sandbox trigger
//! (`addCredit`, as Setu's sandbox offers) or makes an attempt fail, over HTTP like any caller of the PSP.

use bbps_core::upi::UpiLink;
use bbps_core::{Paise, Secret};
use bbps_psp_setu::wire::{Account, AddCredit, Envelope, Token, TokenRequest};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::psp_sim::PaymentOutcome;

bbps_core::wire_enum! {
    /// What the payer does in the sandbox UPI app.
    pub enum PayerAction {
        Approve = "approve",
        Decline = "decline",
        /// Pays ₹1 less than asked (₹1 more when the link asks for less than ₹2).
        WrongAmount = "wrong_amount",
        /// Pays the link twice (the PSP honours the first and returns the second).
        PayTwice = "pay_twice",
        /// Pays, and the PSP's notification of it is lost (the backend learns of it only by asking).
        PayUnannounced = "pay_unannounced",
    }
}

/// The VPA the payer pays from.
const PAYER_VPA: &str = "sandbox.payer@oksbx";

/// Where the PSP simulator is and how to call it.
#[derive(Debug, Clone)]
pub struct PayerConfig {
    /// The simulator's root, e.g. `http://127.0.0.1:9000`.
    pub psp_root: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub product_instance_id: String,
}

/// What the payer's action did at the PSP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SimulatedPayment {
    pub action: String,
    /// One per debit of the payer's account (none for a declined attempt).
    pub debits: Vec<SimulatedDebit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SimulatedDebit {
    pub transaction_id: String,
    pub amount: Paise,
    /// `false` when the PSP returned it (a second payment, a wrong amount, a late one).
    pub honoured: bool,
    /// Why it was returned; empty when honoured.
    pub reason: String,
}

pub struct Payer {
    config: PayerConfig,
    http: reqwest::Client,
}

/// The PSP's link id, from the simulator's per-link VPA (`sbx<platformBillID>@sbxsetu`, the way Setu's carry it).
fn link_id(link: &UpiLink) -> Result<String, String> {
    let vpa = link.payee.as_str();
    vpa.strip_prefix("sbx")
        .and_then(|rest| rest.split_once('@'))
        .filter(|(id, handle)| *handle == "sbxsetu" && !id.is_empty())
        .map(|(id, _)| id.to_owned())
        .ok_or_else(|| format!("{vpa} is not a link of the sandbox PSP"))
}

impl Payer {
    pub fn new(config: PayerConfig, http: reqwest::Client) -> Payer {
        Payer { config, http }
    }

    async fn token(&self) -> Result<String, String> {
        let body = TokenRequest {
            client_id: self.config.client_id.clone(),
            secret: self.config.client_secret.expose().to_owned(),
        };
        let url = format!("{}/v2/auth/token", self.config.psp_root);
        let answer = self.http.post(url).json(&body).send().await.map_err(|e| e.to_string())?;
        let envelope: Envelope<Token> = answer.json().await.map_err(|e| e.to_string())?;
        envelope.data.map(|t| t.token).ok_or_else(|| "the sandbox PSP refused its own credentials".to_owned())
    }

    async fn credit(&self, link: &UpiLink, amount: Paise, lose_notification: bool) -> Result<SimulatedDebit, String> {
        let body = AddCredit {
            amount: amount.get() as f64 / 100.0,
            kind: "UPI".to_owned(),
            destination_account: Account { account_id: link.payee.as_str().to_owned() },
            source_account: Account { account_id: PAYER_VPA.to_owned() },
            transaction_reference: link_id(link)?,
        };
        let url = format!(
            "{}/v2/triggers/funds/addCredit{}",
            self.config.psp_root,
            if lose_notification { "?lose_notification=true" } else { "" }
        );
        let answer = self
            .http
            .post(url)
            .bearer_auth(self.token().await?)
            .header("X-Setu-Product-Instance-ID", &self.config.product_instance_id)
            .json(&body)
            .send()
            .await
            .map_err(|e| format!("the sandbox PSP did not answer: {e}"))?;
        if !answer.status().is_success() {
            let status = answer.status();
            let why = answer.json::<Envelope<()>>().await.ok().and_then(|e| e.error).map(|e| e.detail);
            return Err(format!("the sandbox PSP refused the payment ({status}): {}", why.unwrap_or_default()));
        }
        let outcome: PaymentOutcome = answer.json().await.map_err(|e| e.to_string())?;
        Ok(SimulatedDebit {
            transaction_id: outcome.transaction_id,
            amount,
            honoured: outcome.honoured,
            reason: outcome.reason,
        })
    }

    async fn decline(&self, link: &UpiLink) -> Result<(), String> {
        let url = format!("{}/sim/attempt-failed", self.config.psp_root);
        let body = serde_json::json!({ "platform_bill_id": link_id(link)?, "reason": "Declined by the payer" });
        let answer = self.http.post(url).json(&body).send().await.map_err(|e| e.to_string())?;
        if answer.status().is_success() { Ok(()) } else { Err(format!("the sandbox PSP answered {}", answer.status())) }
    }

    /// Acts as the payer on `link`.
    pub async fn act(&self, link: &UpiLink, action: PayerAction) -> Result<SimulatedPayment, String> {
        let asked = link.amount.ok_or("the link has no amount (am)")?;
        let one_rupee = Paise::new(100).unwrap_or(Paise::ZERO);
        let debits = match action {
            PayerAction::Approve => vec![self.credit(link, asked, false).await?],
            PayerAction::PayUnannounced => vec![self.credit(link, asked, true).await?],
            PayerAction::PayTwice => {
                vec![self.credit(link, asked, false).await?, self.credit(link, asked, false).await?]
            }
            PayerAction::WrongAmount => {
                let wrong = if asked > one_rupee { asked.checked_sub(one_rupee) } else { asked.checked_add(one_rupee) };
                vec![self.credit(link, wrong.unwrap_or(asked), false).await?]
            }
            PayerAction::Decline => {
                self.decline(link).await?;
                Vec::new()
            }
        };
        Ok(SimulatedPayment { action: action.as_str().to_owned(), debits })
    }
}
