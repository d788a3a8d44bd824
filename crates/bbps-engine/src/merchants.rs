//! A merchant's integration settings, changed by the merchant's own server with its secret key: the origins
//! allowed to embed the widget and the endpoint that receives webhooks.

use bbps_core::api::MerchantIntegration;
use bbps_core::{ErrorCode, MerchantId};

use crate::{Engine, Error, Result};

impl Engine {
    /// Replaces the merchant's allowed origins and webhook endpoint.
    pub async fn update_integration(&self, merchant: &MerchantId, settings: &MerchantIntegration) -> Result<()> {
        let origins: Vec<String> = settings.allowed_origins.iter().map(|o| o.as_str().to_owned()).collect();
        let url = settings.webhook_url.as_ref().map(|u| u.as_str());
        if self.store.update_merchant_integration(merchant, &origins, url).await? {
            Ok(())
        } else {
            Err(Error::refused(ErrorCode::SecretKeyInvalid, "the merchant of this key no longer exists"))
        }
    }
}
