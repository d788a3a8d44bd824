//! Every string the widget shows, in English and Hindi. Each message is a key of [`Msg`] with both texts side by
//! side in one table, so a missing translation does not compile; error codes map to messages by exhaustive
//! matches, so a new server code does not compile until it has words. Amounts use Indian digit grouping and
//! dates are shown in IST.

use bbps_core::api::{FailureCode, ReceiptStatus, RefundReason};
use bbps_core::clock::month_abbrev;
use bbps_core::complaint::{ComplaintStatus, Disposition, ServiceReason};
use bbps_core::money::MoneyParseError;
use bbps_core::{AmountError, ErrorCode, FieldError, IST, ParamErrorCode, PaymentStatus, Timestamp};
use time::{Date, Month};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    En,
    Hi,
}

impl Locale {
    /// The BCP 47 tag, for the `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Hi => "hi",
        }
    }

    /// A language tag as a browser or a merchant gives it (`hi-IN`, `en`, `EN-gb`); `None` if neither.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "hi" => Some(Locale::Hi),
            _ => None,
        }
    }

    /// The other language, offered by the toggle.
    pub fn other(self) -> Locale {
        match self {
            Locale::En => Locale::Hi,
            Locale::Hi => Locale::En,
        }
    }

    /// The language's own name (what the toggle shows to switch to it).
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Hi => "हिन्दी",
        }
    }
}

macro_rules! messages {
    ($($key:ident => $en:literal, $hi:literal;)*) => {
        /// A message of the widget. Its English and Hindi texts sit together in the table below.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg {
            $($key,)*
        }

        /// The text of `key` in `locale`.
        pub fn text(locale: Locale, key: Msg) -> &'static str {
            match locale {
                Locale::En => match key { $(Msg::$key => $en,)* },
                Locale::Hi => match key { $(Msg::$key => $hi,)* },
            }
        }
    };
}

messages! {
    // Frame.
    WidgetLabel => "Pay a bill", "बिल भुगतान";
    Back => "Back", "वापस";
    SwitchLanguage => "Switch language", "भाषा बदलें";
    Loading => "Loading…", "लोड हो रहा है…";
    TryAgain => "Try again", "फिर से कोशिश करें";
    Dismiss => "Dismiss", "बंद करें";
    SandboxBadge => "Sandbox: no real money moves", "सैंडबॉक्स: असली पैसा नहीं कटता";
    PayAnotherBill => "Pay another bill", "दूसरा बिल भरें";
    Close => "Close", "बंद करें";
    Done => "Done", "हो गया";
    BrandName => "Bharat BillPay", "भारत बिलपे";
    BAssuredLabel => "B assured: paid through Bharat Connect", "B assured: भारत कनेक्ट के माध्यम से भुगतान";
    Optional => "optional", "वैकल्पिक";
    ChooseOne => "Choose one", "कोई एक चुनें";
    Or => "or", "या";
    // Categories.
    CategoriesTitle => "Which bill do you want to pay?", "आप कौन-सा बिल भरना चाहते हैं?";
    CategoriesEmpty => "No bill categories are available right now.", "अभी कोई बिल श्रेणी उपलब्ध नहीं है।";
    TrackPayment => "Track a payment", "भुगतान की स्थिति देखें";
    RaiseComplaint => "Raise a complaint", "शिकायत दर्ज करें";
    TrackComplaint => "Track a complaint", "शिकायत की स्थिति देखें";
    MoreServices => "Help with a payment", "भुगतान में सहायता";
    // Billers.
    BillersTitle => "Choose your biller", "अपना बिलर चुनें";
    SearchBillers => "Search billers", "बिलर खोजें";
    SearchPlaceholder => "Name of your provider", "अपने सेवा प्रदाता का नाम";
    SearchHelp => "Use the up and down arrow keys to move through the results and Enter to choose.", "परिणामों में ऊपर-नीचे जाने के लिए तीर कुंजियाँ और चुनने के लिए Enter दबाएँ।";
    State => "State", "राज्य";
    AllStates => "All states", "सभी राज्य";
    AllIndia => "All India", "पूरे भारत में";
    BillersEmpty => "No biller matches your search.", "आपकी खोज से कोई बिलर नहीं मिला।";
    BillersCount => "{n} billers", "{n} बिलर";
    MoreBillers => "Show more billers", "और बिलर दिखाएँ";
    // Customer details.
    FormTitle => "Enter your account details", "अपने खाते का विवरण दर्ज करें";
    GroupLegend => "Enter any one of these", "इनमें से कोई एक दर्ज करें";
    FetchBill => "Fetch bill", "बिल प्राप्त करें";
    VerifyAccount => "Verify account", "खाता सत्यापित करें";
    Continue => "Continue", "आगे बढ़ें";
    FetchingBill => "Fetching your bill…", "आपका बिल लाया जा रहा है…";
    // Field errors (the same codes as the server's).
    FieldMissing => "Enter your {field}", "अपना {field} दर्ज करें";
    FieldTooShort => "{field} must be at least {n} characters", "{field} कम से कम {n} अक्षरों का होना चाहिए";
    FieldTooLong => "{field} must be at most {n} characters", "{field} अधिकतम {n} अक्षरों का हो सकता है";
    FieldNotNumeric => "{field} may contain digits only", "{field} में केवल अंक हो सकते हैं";
    FieldPattern => "{field} is not in the format this biller uses", "{field} इस बिलर के प्रारूप में नहीं है";
    FieldNotAllowed => "Choose one of the listed values for {field}", "{field} के लिए सूची में से कोई एक मान चुनें";
    FieldGroup => "Enter {group}", "{group} दर्ज करें";
    FieldUnknown => "This biller does not take {field}", "यह बिलर {field} नहीं लेता";
    // Bill.
    BillTitle => "Your bill", "आपका बिल";
    CustomerName => "Customer name", "ग्राहक का नाम";
    BillNumber => "Bill number", "बिल संख्या";
    BillDate => "Bill date", "बिल की तारीख";
    DueDate => "Due date", "देय तिथि";
    Overdue => "Overdue", "देय तिथि निकल चुकी";
    BillPeriod => "Bill period", "बिल अवधि";
    BillAmount => "Bill amount", "बिल राशि";
    AmountToPay => "Amount to pay", "भुगतान राशि";
    MoreDetails => "More details", "अधिक जानकारी";
    ProceedToPay => "Proceed to pay", "भुगतान के लिए आगे बढ़ें";
    OutcomeNoBillDue => "No bill is due", "कोई बिल बकाया नहीं है";
    OutcomeAccount => "We could not find this account", "यह खाता नहीं मिला";
    OutcomeNoBill => "No bill found", "कोई बिल नहीं मिला";
    OutcomeBillerDown => "The biller is not responding", "बिलर जवाब नहीं दे रहा";
    EditDetails => "Edit details", "विवरण बदलें";
    ChooseAnotherBiller => "Choose another biller", "दूसरा बिलर चुनें";
    PayAnAmount => "Pay an amount anyway", "फिर भी कोई राशि भरें";
    // Confirm.
    ConfirmTitle => "Confirm and pay", "पुष्टि करें और भुगतान करें";
    Biller => "Biller", "बिलर";
    AmountRupees => "Amount (₹)", "राशि (₹)";
    AmountRange => "Between {min} and {max}", "{min} से {max} के बीच";
    AmountFixed => "This biller takes exactly the bill amount.", "यह बिलर केवल बिल की पूरी राशि लेता है।";
    ConvenienceFee => "Convenience fee", "सुविधा शुल्क";
    Total => "Total", "कुल";
    MobileForReceipt => "Mobile number (for the receipt)", "मोबाइल नंबर (रसीद के लिए)";
    MobileHint => "10 digits; we send nothing to it", "10 अंक; इस पर कुछ भेजा नहीं जाता";
    PayWithUpi => "Pay with UPI", "UPI से भुगतान करें";
    CreatingPayment => "Creating your payment…", "आपका भुगतान बनाया जा रहा है…";
    AmountEmpty => "Enter an amount", "राशि दर्ज करें";
    AmountBadChar => "Use digits and at most one decimal point", "केवल अंक और अधिकतम एक दशमलव बिंदु लिखें";
    AmountDecimals => "Use at most two digits after the decimal point", "दशमलव के बाद अधिकतम दो अंक लिखें";
    AmountCommas => "Commas must separate groups of digits", "अल्पविराम केवल अंकों के समूहों के बीच आ सकता है";
    AmountTooLarge => "The amount is too large", "राशि बहुत बड़ी है";
    AmountMustEqualBillOf => "This biller takes exactly the bill amount, {amount}", "यह बिलर केवल बिल की पूरी राशि, {amount}, लेता है";
    AmountBelowBillOf => "This biller takes at least the bill amount, {amount}", "यह बिलर कम से कम बिल की राशि, {amount}, लेता है";
    AmountAboveBillOf => "This biller takes at most the bill amount, {amount}", "यह बिलर अधिकतम बिल की राशि, {amount}, लेता है";
    AmountBelowMinOf => "The smallest amount this biller takes by UPI is {amount}", "यह बिलर UPI से कम से कम {amount} लेता है";
    AmountAboveMaxOf => "The largest amount this biller takes by UPI is {amount}", "यह बिलर UPI से अधिकतम {amount} लेता है";
    // Pay.
    ScanTitle => "Scan and pay with any UPI app", "किसी भी UPI ऐप से स्कैन करके भुगतान करें";
    IntentTitle => "Pay with your UPI app", "अपने UPI ऐप से भुगतान करें";
    OpenUpiApp => "Open UPI app", "UPI ऐप खोलें";
    OrChooseApp => "Or open a specific app", "या कोई खास ऐप खोलें";
    PayingTo => "Paying to", "भुगतान पाने वाला";
    UpiId => "UPI ID", "UPI आईडी";
    Amount => "Amount", "राशि";
    ExpiresIn => "Expires in {time}", "{time} में समाप्त";
    QrLabel => "UPI QR code to pay {amount} to {payee}", "{payee} को {amount} भुगतान करने का UPI QR कोड";
    LinkFallback => "Can't scan? Open the payment link", "स्कैन नहीं कर पा रहे? भुगतान लिंक खोलें";
    SandboxApp => "Open the sandbox UPI app", "सैंडबॉक्स UPI ऐप खोलें";
    ShowQr => "Pay from another phone (QR code)", "दूसरे फ़ोन से भुगतान करें (QR कोड)";
    ShowApps => "Pay on this device", "इसी डिवाइस पर भुगतान करें";
    WaitingForPayment => "Waiting for your payment…", "आपके भुगतान की प्रतीक्षा है…";
    KeepOpen => "Keep this page open until the payment is confirmed.", "भुगतान की पुष्टि होने तक यह पेज खुला रखें।";
    Reconnecting => "Connection lost. Still checking the payment status…", "कनेक्शन टूट गया। भुगतान की स्थिति अब भी जाँची जा रही है…";
    CheckingPayment => "Checking the payment…", "भुगतान की जाँच हो रही है…";
    // Results.
    ProcessingTitle => "Payment received, paying your bill…", "भुगतान मिल गया, आपका बिल भरा जा रहा है…";
    ProcessingBody => "This usually takes a few seconds and can take longer. This page updates by itself; you can also track the payment later.", "इसमें आम तौर पर कुछ सेकंड लगते हैं, कभी-कभी अधिक। यह पेज अपने-आप अपडेट होगा; आप बाद में भी भुगतान की स्थिति देख सकते हैं।";
    SuccessTitle => "Bill paid", "बिल का भुगतान हो गया";
    SuccessBody => "{amount} paid to {biller}.", "{biller} को {amount} का भुगतान हो गया।";
    DeemedTitle => "Payment accepted, confirmation pending", "भुगतान स्वीकार, पुष्टि बाकी";
    DeemedBody => "{amount} was accepted for {biller}; the biller will confirm it shortly. Keep the reference below.", "{biller} के लिए {amount} स्वीकार हो गए; बिलर जल्द पुष्टि करेगा। नीचे दिया संदर्भ संभाल कर रखें।";
    FailedTitle => "Payment failed", "भुगतान विफल रहा";
    ExpiredTitle => "The QR code expired", "QR कोड की समय-सीमा समाप्त हो गई";
    ExpiredBody => "No money was taken. Generate a new QR code to pay.", "कोई पैसा नहीं कटा। भुगतान के लिए नया QR कोड बनाएँ।";
    NewQr => "Generate a new QR", "नया QR बनाएँ";
    RefundPendingTitle => "Refund in progress", "रिफ़ंड की प्रक्रिया जारी है";
    RefundPendingBody => "{reason}, so {amount} is on its way back to your account.", "{reason}, इसलिए {amount} आपके खाते में वापस भेजे जा रहे हैं।";
    RefundedTitle => "Refunded", "पैसा वापस कर दिया गया";
    RefundedBody => "{reason}, so {amount} was returned to your account.", "{reason}, इसलिए {amount} आपके खाते में वापस कर दिए गए।";
    RefundBillFailed => "The bill could not be paid", "बिल नहीं भरा जा सका";
    RefundAmountMismatch => "The amount paid did not match the bill", "भुगतान की गई राशि बिल से मेल नहीं खाती";
    RefundPaidAfterExpiry => "The payment arrived after the QR code expired", "भुगतान QR कोड की समय-सीमा समाप्त होने के बाद पहुँचा";
    RefundPaidAfterFailure => "The payment arrived after the attempt had failed", "भुगतान प्रयास विफल होने के बाद पहुँचा";
    RefundDuplicate => "This QR code was paid more than once", "इस QR कोड से एक से अधिक बार भुगतान हुआ";
    RefundReference => "Refund reference", "रिफ़ंड संदर्भ";
    FailUpiDeclined => "The payment was declined in the UPI app. No money was taken.", "UPI ऐप में भुगतान अस्वीकार हुआ। कोई पैसा नहीं कटा।";
    FailBill => "The biller could not accept this payment.", "बिलर यह भुगतान स्वीकार नहीं कर सका।";
    FailAmountMismatch => "The amount paid did not match the bill.", "भुगतान की गई राशि बिल से मेल नहीं खाती।";
    FailGeneric => "The payment could not be completed.", "भुगतान पूरा नहीं हो सका।";
    // Receipt.
    ReceiptTitle => "Payment receipt", "भुगतान रसीद";
    TxnRef => "Bharat Connect Txn Ref", "भारत कनेक्ट लेनदेन संदर्भ";
    ApprovalRef => "Approval ref. no.", "अनुमोदन संदर्भ संख्या";
    BillerName => "Biller name", "बिलर का नाम";
    BillerId => "Biller ID", "बिलर आईडी";
    PaymentMode => "Payment mode", "भुगतान का तरीका";
    PaymentChannel => "Payment channel", "भुगतान चैनल";
    ChannelInternet => "Internet (INT)", "इंटरनेट (INT)";
    ChannelMobile => "Mobile (MOB)", "मोबाइल (MOB)";
    DateTime => "Date and time", "तारीख और समय";
    MobileNumber => "Mobile number", "मोबाइल नंबर";
    Status => "Status", "स्थिति";
    StatusSuccess => "Successful", "सफल";
    StatusPending => "Pending", "लंबित";
    UpiRrn => "UPI reference (RRN)", "UPI संदर्भ (RRN)";
    PrintReceipt => "Print receipt", "रसीद प्रिंट करें";
    DownloadReceipt => "Download receipt", "रसीद डाउनलोड करें";
    // Payment statuses.
    PsCreated => "Created", "बनाया गया";
    PsAwaiting => "Waiting for payment", "भुगतान की प्रतीक्षा";
    PsPaid => "Paid, processing", "भुगतान हुआ, प्रक्रिया जारी";
    PsBillPending => "Processing", "प्रक्रिया जारी";
    PsCompleted => "Successful", "सफल";
    PsBillFailed => "Failed, refund due", "विफल, रिफ़ंड होगा";
    PsRefundPending => "Refund in progress", "रिफ़ंड जारी";
    PsRefunded => "Refunded", "रिफ़ंड हो गया";
    PsExpired => "Expired", "समय-सीमा समाप्त";
    PsFailed => "Failed", "विफल";
    // Track a payment.
    ByTxnRef => "By transaction reference", "लेनदेन संदर्भ से";
    ByMobile => "By mobile number and dates", "मोबाइल नंबर और तारीखों से";
    TxnRefHint => "20 letters and digits, printed on your receipt", "20 अक्षर और अंक, आपकी रसीद पर छपे हुए";
    TxnRefInvalid => "Enter the 20-character reference from your receipt", "अपनी रसीद से 20 अक्षरों का संदर्भ दर्ज करें";
    FromDate => "From", "से";
    ToDate => "To", "तक";
    DateInvalid => "Enter a valid date", "मान्य तारीख दर्ज करें";
    Search => "Search", "खोजें";
    NoPayments => "No payments found.", "कोई भुगतान नहीं मिला।";
    ViewPayment => "View", "देखें";
    // Complaints.
    AboutPayment => "About a payment", "किसी भुगतान के बारे में";
    AboutService => "About a service", "किसी सेवा के बारे में";
    WhatWentWrong => "What went wrong?", "क्या गलत हुआ?";
    ChooseWhatWentWrong => "Choose what went wrong", "चुनें कि क्या गलत हुआ";
    AgainstBiller => "Against a biller", "किसी बिलर के विरुद्ध";
    AgainstAgent => "Against an agent", "किसी एजेंट के विरुद्ध";
    BillerIdHint => "14 letters and digits, printed on your receipt", "14 अक्षर और अंक, आपकी रसीद पर छपे हुए";
    AgentId => "Agent ID", "एजेंट आईडी";
    AgentIdHint => "20 letters and digits", "20 अक्षर और अंक";
    Reason => "Reason", "कारण";
    ChooseReason => "Choose a reason", "कोई कारण चुनें";
    Description => "Describe the problem", "समस्या का विवरण दें";
    DescriptionHint => "3 to 500 characters", "3 से 500 अक्षर";
    SubmitComplaint => "Submit complaint", "शिकायत भेजें";
    Sending => "Sending…", "भेजा जा रहा है…";
    ComplaintRegistered => "Complaint registered", "शिकायत दर्ज हो गई";
    ComplaintId => "Complaint ID", "शिकायत आईडी";
    ComplaintIdHint => "15 letters and digits", "15 अक्षर और अंक";
    ComplaintIdInvalid => "Enter the 15-character complaint ID", "15 अक्षरों की शिकायत आईडी दर्ज करें";
    TrackThisComplaint => "Track this complaint", "इस शिकायत की स्थिति देखें";
    HandledBy => "Handled by", "देख रहे हैं";
    Remarks => "Remarks", "टिप्पणी";
    History => "History", "इतिहास";
    RegisteredOn => "Registered on", "दर्ज करने की तारीख";
    CsLogged => "Registered", "दर्ज";
    CsAssigned => "Assigned", "सौंपी गई";
    CsPendingWithBbpou => "Pending with the bank", "बैंक के पास लंबित";
    CsResolved => "Resolved", "सुलझ गई";
    CsReassigned => "Reassigned", "फिर से सौंपी गई";
    CsEscalated => "Escalated", "आगे बढ़ाई गई";
    D11 => "Amount debited but service not received", "राशि कट गई पर सेवा नहीं मिली";
    D12 => "Service disconnected", "सेवा काट दी गई";
    D13 => "Late payment surcharge added", "देर से भुगतान का अधिभार जोड़ा गया";
    D21 => "Paid to the wrong account", "गलत खाते में भुगतान हुआ";
    D22 => "Duplicate payment", "दोहरा भुगतान";
    D23 => "Wrong amount paid", "गलत राशि का भुगतान";
    D31 => "Payment not received by the biller, or delayed", "बिलर को भुगतान नहीं मिला या देर से मिला";
    D32 => "Bill paid but still showing due", "बिल भर दिया पर अब भी बकाया दिख रहा है";
    RAgentOvercharging => "Agent charged more than the bill", "एजेंट ने बिल से अधिक पैसे लिए";
    RAgentMisbehaviour => "Agent misbehaved", "एजेंट ने दुर्व्यवहार किया";
    RAgentNoReceipt => "Agent did not give a receipt", "एजेंट ने रसीद नहीं दी";
    RAgentOutletClosed => "Agent outlet closed", "एजेंट का केंद्र बंद था";
    RAgentRefusedComplaint => "Agent refused to register a complaint", "एजेंट ने शिकायत दर्ज करने से मना किया";
    RBillerNoService => "Biller is not providing the service", "बिलर सेवा नहीं दे रहा";
    RBillerWrongBill => "Biller sent a wrong bill", "बिलर ने गलत बिल भेजा";
    RBillerNotUpdated => "Biller has not updated my payment", "बिलर ने मेरा भुगतान अपडेट नहीं किया";
    RBillerUnreachable => "Biller cannot be reached", "बिलर से संपर्क नहीं हो पा रहा";
    // Configuration.
    FatalTitle => "This payment page is not set up correctly", "यह भुगतान पेज सही से सेट नहीं है";
    FatalNoKey => "It was opened without a merchant key. Contact the website you came from.", "इसे व्यापारी कुंजी के बिना खोला गया। जिस वेबसाइट से आप आए हैं, उससे संपर्क करें।";
    FatalParentMismatch => "It is shown inside a website it was not set up for. Contact the website you came from.", "इसे ऐसी वेबसाइट के अंदर दिखाया गया है जिसके लिए यह सेट नहीं है। जिस वेबसाइट से आप आए हैं, उससे संपर्क करें।";
    // Failures.
    ErrNetwork => "You seem to be offline. Check your connection and try again.", "आप ऑफ़लाइन लगते हैं। अपना कनेक्शन जाँचकर फिर से कोशिश करें।";
    ErrUnexpected => "The server sent an answer we could not read. Try again.", "सर्वर का जवाब पढ़ा नहीं जा सका। फिर से कोशिश करें।";
    ErrRequestRejected => "The server could not read this request. Reload the page and try again.", "सर्वर इस अनुरोध को पढ़ नहीं सका। पेज दोबारा लोड करके फिर से कोशिश करें।";
    ErrBadRequest => "The request was not accepted. Check what you entered and try again.", "अनुरोध स्वीकार नहीं हुआ। दर्ज जानकारी जाँचकर फिर से कोशिश करें।";
    ErrNotFound => "We could not find what you asked for.", "आपकी माँगी गई जानकारी नहीं मिली।";
    ErrTooLarge => "What you entered is too long.", "आपकी दर्ज की गई जानकारी बहुत लंबी है।";
    ErrRateLimited => "Too many attempts. Wait a moment and try again.", "बहुत अधिक प्रयास हुए। थोड़ी देर रुककर फिर से कोशिश करें।";
    ErrInternal => "Something went wrong on our side. Please try again.", "हमारी ओर से कुछ गड़बड़ हुई। कृपया फिर से कोशिश करें।";
    ErrServiceUnavailable => "The service is busy or under maintenance. Try again in a few minutes.", "सेवा अभी व्यस्त है या रखरखाव में है। कुछ मिनट बाद फिर से कोशिश करें।";
    ErrKeyInvalid => "This merchant's key is not valid. Contact the website you came from.", "इस व्यापारी की कुंजी मान्य नहीं है। जिस वेबसाइट से आप आए हैं, उससे संपर्क करें।";
    ErrSessionMissing => "A secure session could not be started. Try again.", "सुरक्षित सत्र शुरू नहीं हो सका। फिर से कोशिश करें।";
    ErrSessionInvalid => "Your secure session is no longer valid. Try again.", "आपका सुरक्षित सत्र अब मान्य नहीं है। फिर से कोशिश करें।";
    ErrSessionExpired => "Your session has expired. Try again.", "आपका सत्र समाप्त हो गया है। फिर से कोशिश करें।";
    ErrOriginNotAllowed => "This website is not allowed to show this payment page.", "इस वेबसाइट को यह भुगतान पेज दिखाने की अनुमति नहीं है।";
    ErrBillerNotFound => "This biller is not available any more. Choose another.", "यह बिलर अब उपलब्ध नहीं है। कोई दूसरा चुनें।";
    ErrCategoryNotFound => "This bill category is not available. Choose another.", "यह बिल श्रेणी उपलब्ध नहीं है। कोई दूसरी चुनें।";
    ErrParamMissing => "A required detail is missing.", "एक आवश्यक जानकारी छूट गई है।";
    ErrParamTooShort => "A detail is too short.", "एक जानकारी बहुत छोटी है।";
    ErrParamTooLong => "A detail is too long.", "एक जानकारी बहुत लंबी है।";
    ErrParamNotNumeric => "A detail may contain digits only.", "एक जानकारी में केवल अंक हो सकते हैं।";
    ErrParamPattern => "A detail is not in the format this biller uses.", "एक जानकारी इस बिलर के प्रारूप में नहीं है।";
    ErrParamNotAllowed => "Choose one of the listed values.", "सूची में से कोई एक मान चुनें।";
    ErrParamGroup => "Enter at least one of the identifying details.", "पहचान की जानकारियों में से कम से कम एक दर्ज करें।";
    ErrParamUnknown => "This biller does not take one of the details sent.", "यह बिलर भेजी गई जानकारियों में से एक को नहीं लेता।";
    ErrBillInvalidAccount => "The biller does not recognise this account. Check the details against your latest bill.", "बिलर इस खाते को नहीं पहचानता। अपने पिछले बिल से विवरण मिलाएँ।";
    ErrBillParamCombination => "These details do not belong together. Check them against your latest bill.", "ये विवरण आपस में मेल नहीं खाते। अपने पिछले बिल से इन्हें मिलाएँ।";
    ErrBillNoData => "The biller has no bill for this account yet.", "बिलर के पास इस खाते का अभी कोई बिल नहीं है।";
    ErrBillNoBillDue => "Nothing is due on this account right now; your bill may already be paid.", "इस खाते पर अभी कुछ बकाया नहीं है; हो सकता है आपका बिल पहले ही भरा जा चुका हो।";
    ErrBillAccountBlocked => "This account is blocked or closed. Contact your biller.", "यह खाता अवरुद्ध या बंद है। अपने बिलर से संपर्क करें।";
    ErrBillAccountInactive => "This account is not active yet. Contact your biller.", "यह खाता अभी सक्रिय नहीं है। अपने बिलर से संपर्क करें।";
    ErrBillDueDateExpired => "This bill's due date has passed and it can no longer be paid here. Contact your biller.", "इस बिल की देय तिथि निकल चुकी है और अब इसे यहाँ नहीं भरा जा सकता। अपने बिलर से संपर्क करें।";
    ErrBillerUnavailable => "The biller's system is not responding right now. Try again in a few minutes, or choose another biller.", "बिलर का सिस्टम अभी जवाब नहीं दे रहा। कुछ मिनट बाद फिर से कोशिश करें या दूसरा बिलर चुनें।";
    ErrBillerTimeout => "The biller took too long to answer. Try again.", "बिलर ने जवाब देने में बहुत देर लगाई। फिर से कोशिश करें।";
    ErrBillValidationFailed => "The biller could not verify these details.", "बिलर इन विवरणों की पुष्टि नहीं कर सका।";
    ErrBillFetchNotSupported => "This biller does not send bills; enter the amount to pay.", "यह बिलर बिल नहीं भेजता; भुगतान की राशि दर्ज करें।";
    ErrBillValidationNotSupported => "This biller cannot verify accounts; enter the amount to pay.", "यह बिलर खाते की पुष्टि नहीं कर सकता; भुगतान की राशि दर्ज करें।";
    ErrBillFetchRequired => "Fetch your bill before paying.", "भुगतान से पहले अपना बिल प्राप्त करें।";
    ErrQuoteNotFound => "This bill is not available any more. Fetch it again.", "यह बिल अब उपलब्ध नहीं है। इसे फिर से प्राप्त करें।";
    ErrQuoteExpired => "This bill was fetched too long ago. Fetch it again.", "यह बिल बहुत पहले प्राप्त किया गया था। इसे फिर से प्राप्त करें।";
    ErrQuoteAlreadyUsed => "A payment was already started for this bill. Fetch it again to pay.", "इस बिल के लिए भुगतान पहले ही शुरू हो चुका है। भुगतान के लिए इसे फिर से प्राप्त करें।";
    ErrAmountOptionUnknown => "That amount option is not on this bill.", "यह राशि विकल्प इस बिल में नहीं है।";
    ErrAmountInvalid => "Enter a valid amount.", "मान्य राशि दर्ज करें।";
    ErrAmountZero => "The amount must be more than zero.", "राशि शून्य से अधिक होनी चाहिए।";
    ErrAmountMustEqualBill => "This biller takes exactly the bill amount.", "यह बिलर केवल बिल की पूरी राशि लेता है।";
    ErrAmountBelowBill => "This biller takes at least the bill amount.", "यह बिलर कम से कम बिल की राशि लेता है।";
    ErrAmountAboveBill => "This biller takes at most the bill amount.", "यह बिलर अधिकतम बिल की राशि लेता है।";
    ErrAmountBelowMin => "The amount is below this biller's UPI minimum.", "राशि इस बिलर की UPI न्यूनतम सीमा से कम है।";
    ErrAmountAboveMax => "The amount is above this biller's UPI maximum.", "राशि इस बिलर की UPI अधिकतम सीमा से अधिक है।";
    ErrUpiNotAccepted => "This biller does not accept UPI payments here.", "यह बिलर यहाँ UPI भुगतान स्वीकार नहीं करता।";
    ErrMobileInvalid => "Enter a 10-digit mobile number starting with 6, 7, 8 or 9.", "6, 7, 8 या 9 से शुरू होने वाला 10 अंकों का मोबाइल नंबर दर्ज करें।";
    ErrIdempotencyReused => "This payment was already sent with other details. Start again.", "यह भुगतान पहले ही दूसरे विवरणों के साथ भेजा जा चुका है। फिर से शुरू करें।";
    ErrPaymentNotFound => "We could not find this payment.", "यह भुगतान नहीं मिला।";
    ErrTransactionNotFound => "No payment matches this reference.", "इस संदर्भ से कोई भुगतान नहीं मिला।";
    ErrDateRange => "Choose a range of at most 90 days, starting before it ends.", "अधिकतम 90 दिनों की अवधि चुनें, जिसकी शुरुआत अंत से पहले हो।";
    ErrComplaintNotFound => "We found no complaint with this ID.", "इस आईडी से कोई शिकायत नहीं मिली।";
    ErrComplaintDescription => "Describe the problem in 3 to 500 characters.", "समस्या का विवरण 3 से 500 अक्षरों में लिखें।";
    ErrComplaintTarget => "Enter a valid biller ID (14 letters and digits) or agent ID (20 letters and digits).", "मान्य बिलर आईडी (14 अक्षर और अंक) या एजेंट आईडी (20 अक्षर और अंक) दर्ज करें।";
    ErrComplaintNotAllowed => "A complaint cannot be raised for this payment yet.", "इस भुगतान के लिए अभी शिकायत दर्ज नहीं की जा सकती।";
}

/// Replaces each `{name}` in a message with its value.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The message for each server error code.
pub fn error_msg(code: ErrorCode) -> Msg {
    use ErrorCode as E;
    match code {
        E::BadRequest => Msg::ErrBadRequest,
        // Requests only a bug in the widget (or a server-to-server caller) could send.
        E::InvalidJson
        | E::InvalidQuery
        | E::InvalidPath
        | E::MethodNotAllowed
        | E::UnsupportedMediaType
        | E::SecretKeyInvalid
        | E::SecretKeyMissing
        | E::IdempotencyKeyMissing
        | E::IdempotencyKeyInvalid
        | E::CallbackSignatureInvalid
        | E::CallbackUnknownPayment
        | E::SandboxOnly
        | E::SandboxActionInvalid => Msg::ErrRequestRejected,
        E::NotFound => Msg::ErrNotFound,
        E::PayloadTooLarge => Msg::ErrTooLarge,
        E::RateLimited => Msg::ErrRateLimited,
        E::Internal => Msg::ErrInternal,
        E::ServiceUnavailable => Msg::ErrServiceUnavailable,
        E::PublishableKeyInvalid => Msg::ErrKeyInvalid,
        E::SessionTokenMissing => Msg::ErrSessionMissing,
        E::SessionTokenInvalid => Msg::ErrSessionInvalid,
        E::SessionExpired => Msg::ErrSessionExpired,
        E::OriginNotAllowed => Msg::ErrOriginNotAllowed,
        E::BillerNotFound => Msg::ErrBillerNotFound,
        E::CategoryNotFound => Msg::ErrCategoryNotFound,
        E::ParamMissing => Msg::ErrParamMissing,
        E::ParamTooShort => Msg::ErrParamTooShort,
        E::ParamTooLong => Msg::ErrParamTooLong,
        E::ParamNotNumeric => Msg::ErrParamNotNumeric,
        E::ParamPatternMismatch => Msg::ErrParamPattern,
        E::ParamNotAllowed => Msg::ErrParamNotAllowed,
        E::ParamGroupUnsatisfied => Msg::ErrParamGroup,
        E::ParamUnknown => Msg::ErrParamUnknown,
        E::BillInvalidAccount => Msg::ErrBillInvalidAccount,
        E::BillInvalidParamCombination => Msg::ErrBillParamCombination,
        E::BillNoData => Msg::ErrBillNoData,
        E::BillNoBillDue => Msg::ErrBillNoBillDue,
        E::BillAccountBlocked => Msg::ErrBillAccountBlocked,
        E::BillAccountInactive => Msg::ErrBillAccountInactive,
        E::BillDueDateExpired => Msg::ErrBillDueDateExpired,
        E::BillerUnavailable => Msg::ErrBillerUnavailable,
        E::BillerTimeout => Msg::ErrBillerTimeout,
        E::BillValidationFailed => Msg::ErrBillValidationFailed,
        E::BillFetchNotSupported => Msg::ErrBillFetchNotSupported,
        E::BillValidationNotSupported => Msg::ErrBillValidationNotSupported,
        E::BillFetchRequired => Msg::ErrBillFetchRequired,
        E::QuoteNotFound => Msg::ErrQuoteNotFound,
        E::QuoteExpired => Msg::ErrQuoteExpired,
        E::QuoteAlreadyUsed => Msg::ErrQuoteAlreadyUsed,
        E::AmountOptionUnknown => Msg::ErrAmountOptionUnknown,
        E::AmountInvalid => Msg::ErrAmountInvalid,
        E::AmountZero => Msg::ErrAmountZero,
        E::AmountMustEqualBill => Msg::ErrAmountMustEqualBill,
        E::AmountBelowBill => Msg::ErrAmountBelowBill,
        E::AmountAboveBill => Msg::ErrAmountAboveBill,
        E::AmountBelowMin => Msg::ErrAmountBelowMin,
        E::AmountAboveMax => Msg::ErrAmountAboveMax,
        E::UpiNotAccepted => Msg::ErrUpiNotAccepted,
        E::MobileInvalid => Msg::ErrMobileInvalid,
        E::IdempotencyKeyReused => Msg::ErrIdempotencyReused,
        E::PaymentNotFound => Msg::ErrPaymentNotFound,
        E::TransactionNotFound => Msg::ErrTransactionNotFound,
        E::DateRangeInvalid => Msg::ErrDateRange,
        E::ComplaintNotFound => Msg::ErrComplaintNotFound,
        E::ComplaintDescriptionInvalid => Msg::ErrComplaintDescription,
        E::ComplaintTargetInvalid => Msg::ErrComplaintTarget,
        E::ComplaintNotAllowed => Msg::ErrComplaintNotAllowed,
    }
}

/// A field's error in words, naming the field by its label.
pub fn field_error(locale: Locale, e: &FieldError) -> String {
    let limit = e.limit.unwrap_or(0).to_string();
    let group = e.group.join(&format!(" {} ", text(locale, Msg::Or)));
    let key = match e.code {
        ParamErrorCode::ParamMissing => Msg::FieldMissing,
        ParamErrorCode::ParamTooShort => Msg::FieldTooShort,
        ParamErrorCode::ParamTooLong => Msg::FieldTooLong,
        ParamErrorCode::ParamNotNumeric => Msg::FieldNotNumeric,
        ParamErrorCode::ParamPatternMismatch => Msg::FieldPattern,
        ParamErrorCode::ParamNotAllowed => Msg::FieldNotAllowed,
        ParamErrorCode::ParamGroupUnsatisfied => Msg::FieldGroup,
        ParamErrorCode::ParamUnknown => Msg::FieldUnknown,
    };
    fill(text(locale, key), &[("field", &e.field), ("n", &limit), ("group", &group)])
}

pub fn money_parse_error(e: MoneyParseError) -> Msg {
    match e {
        MoneyParseError::Empty => Msg::AmountEmpty,
        MoneyParseError::InvalidCharacter => Msg::AmountBadChar,
        MoneyParseError::TooManyDecimals => Msg::AmountDecimals,
        MoneyParseError::MisplacedComma => Msg::AmountCommas,
        MoneyParseError::TooLarge => Msg::AmountTooLarge,
    }
}

pub fn amount_error(locale: Locale, e: AmountError) -> String {
    let (key, amount) = match e {
        AmountError::AmountZero => (Msg::ErrAmountZero, None),
        AmountError::AmountMustEqualBill { bill } => (Msg::AmountMustEqualBillOf, Some(bill)),
        AmountError::AmountBelowBill { bill } => (Msg::AmountBelowBillOf, Some(bill)),
        AmountError::AmountAboveBill { bill } => (Msg::AmountAboveBillOf, Some(bill)),
        AmountError::AmountBelowMin { min } => (Msg::AmountBelowMinOf, Some(min)),
        AmountError::AmountAboveMax { max } => (Msg::AmountAboveMaxOf, Some(max)),
        AmountError::UpiNotAccepted => (Msg::ErrUpiNotAccepted, None),
        AmountError::BillFetchRequired => (Msg::ErrBillFetchRequired, None),
    };
    let amount = amount.map(|a| a.to_inr_string()).unwrap_or_default();
    fill(text(locale, key), &[("amount", &amount)])
}

pub fn payment_status(s: PaymentStatus) -> Msg {
    match s {
        PaymentStatus::Created => Msg::PsCreated,
        PaymentStatus::AwaitingPayment => Msg::PsAwaiting,
        PaymentStatus::Paid => Msg::PsPaid,
        PaymentStatus::BillPaymentPending => Msg::PsBillPending,
        PaymentStatus::Completed => Msg::PsCompleted,
        PaymentStatus::BillPaymentFailed => Msg::PsBillFailed,
        PaymentStatus::RefundPending => Msg::PsRefundPending,
        PaymentStatus::Refunded => Msg::PsRefunded,
        PaymentStatus::Expired => Msg::PsExpired,
        PaymentStatus::PaymentFailed => Msg::PsFailed,
    }
}

/// Why a payment did not complete, in words.
pub fn failure_msg(code: FailureCode) -> Msg {
    match code {
        FailureCode::UpiDeclined => Msg::FailUpiDeclined,
        FailureCode::BillPaymentFailed => Msg::FailBill,
        FailureCode::Expired => Msg::ExpiredBody,
        FailureCode::AmountMismatch => Msg::FailAmountMismatch,
    }
}

/// Why a payment's money goes back, as the start of a sentence ([`Msg::RefundPendingBody`]).
pub fn refund_reason(reason: RefundReason) -> Msg {
    match reason {
        RefundReason::BillPaymentFailed => Msg::RefundBillFailed,
        RefundReason::AmountMismatch => Msg::RefundAmountMismatch,
        RefundReason::PaidAfterExpiry => Msg::RefundPaidAfterExpiry,
        RefundReason::PaidAfterFailure => Msg::RefundPaidAfterFailure,
        RefundReason::DuplicateDebit => Msg::RefundDuplicate,
    }
}

/// A receipt's status: settled, or deemed and settling.
pub fn receipt_status(status: ReceiptStatus) -> Msg {
    match status {
        ReceiptStatus::Success => Msg::StatusSuccess,
        ReceiptStatus::Pending => Msg::StatusPending,
    }
}

pub fn complaint_status(s: ComplaintStatus) -> Msg {
    match s {
        ComplaintStatus::Logged => Msg::CsLogged,
        ComplaintStatus::Assigned => Msg::CsAssigned,
        ComplaintStatus::PendingWithBbpou => Msg::CsPendingWithBbpou,
        ComplaintStatus::Resolved => Msg::CsResolved,
        ComplaintStatus::Reassigned => Msg::CsReassigned,
        ComplaintStatus::Escalated => Msg::CsEscalated,
    }
}

pub fn disposition(d: Disposition) -> Msg {
    match d {
        Disposition::D11 => Msg::D11,
        Disposition::D12 => Msg::D12,
        Disposition::D13 => Msg::D13,
        Disposition::D21 => Msg::D21,
        Disposition::D22 => Msg::D22,
        Disposition::D23 => Msg::D23,
        Disposition::D31 => Msg::D31,
        Disposition::D32 => Msg::D32,
    }
}

pub fn reason(r: ServiceReason) -> Msg {
    match r {
        ServiceReason::AgentOvercharging => Msg::RAgentOvercharging,
        ServiceReason::AgentMisbehaviour => Msg::RAgentMisbehaviour,
        ServiceReason::AgentNotIssuingReceipt => Msg::RAgentNoReceipt,
        ServiceReason::AgentOutletClosed => Msg::RAgentOutletClosed,
        ServiceReason::AgentRefusingComplaint => Msg::RAgentRefusedComplaint,
        ServiceReason::BillerServiceNotProvided => Msg::RBillerNoService,
        ServiceReason::BillerWrongBill => Msg::RBillerWrongBill,
        ServiceReason::BillerPaymentNotUpdated => Msg::RBillerNotUpdated,
        ServiceReason::BillerUnreachable => Msg::RBillerUnreachable,
    }
}

/// The known categories by code: English name, Hindi name. Any other category the provider lists is shown
/// under its own name.
pub const CATEGORIES: [(&str, &str, &str); 30] = [
    ("broadband-postpaid", "Broadband Postpaid", "ब्रॉडबैंड पोस्टपेड"),
    ("cable-tv", "Cable TV", "केबल टीवी"),
    ("clubs-and-associations", "Clubs and Associations", "क्लब और संघ"),
    ("credit-card", "Credit Card", "क्रेडिट कार्ड"),
    ("donation", "Donation", "दान"),
    ("dth", "DTH", "डीटीएच"),
    ("echallan", "eChallan", "ई-चालान"),
    ("education-fees", "Education Fees", "शिक्षा शुल्क"),
    ("electricity", "Electricity", "बिजली"),
    ("ev-recharge", "EV Recharge", "ईवी रिचार्ज"),
    ("fastag", "Fastag", "फ़ास्टैग"),
    ("gas", "Gas", "पाइप गैस"),
    ("hospital", "Hospital", "अस्पताल"),
    ("hospital-and-pathology", "Hospital and Pathology", "अस्पताल और पैथोलॉजी"),
    ("housing-society", "Housing Society", "हाउसिंग सोसाइटी"),
    ("insurance", "Insurance", "बीमा"),
    ("landline-postpaid", "Landline Postpaid", "लैंडलाइन पोस्टपेड"),
    ("loan-repayment", "Loan Repayment", "ऋण चुकौती"),
    ("lpg-gas", "LPG Gas", "एलपीजी गैस"),
    ("mobile-postpaid", "Mobile Postpaid", "मोबाइल पोस्टपेड"),
    ("mobile-prepaid", "Mobile Prepaid", "मोबाइल प्रीपेड"),
    ("municipal-services", "Municipal Services", "नगरपालिका सेवाएँ"),
    ("municipal-taxes", "Municipal Taxes", "नगरपालिका कर"),
    ("national-pension-system", "National Pension System", "राष्ट्रीय पेंशन प्रणाली"),
    ("ncmc-recharge", "NCMC Recharge", "एनसीएमसी रिचार्ज"),
    ("prepaid-meter", "Prepaid Meter", "प्रीपेड मीटर"),
    ("recurring-deposit", "Recurring Deposit", "आवर्ती जमा"),
    ("rental", "Rental", "किराया"),
    ("subscription", "Subscription", "सदस्यता"),
    ("water", "Water", "पानी"),
];

/// A category's name in `locale`: ours for a known code, else the provider's.
pub fn category_name<'a>(locale: Locale, code: &str, provider_name: &'a str) -> &'a str {
    match CATEGORIES.iter().find(|(c, ..)| *c == code) {
        Some((_, en, hi)) => match locale {
            Locale::En => en,
            Locale::Hi => hi,
        },
        None => provider_name,
    }
}

/// States and union territories by ISO 3166-2:IN code (without `IN-`), for the biller state filter.
pub const STATES: [(&str, &str, &str); 36] = [
    ("AN", "Andaman and Nicobar Islands", "अंडमान और निकोबार द्वीपसमूह"),
    ("AP", "Andhra Pradesh", "आंध्र प्रदेश"),
    ("AR", "Arunachal Pradesh", "अरुणाचल प्रदेश"),
    ("AS", "Assam", "असम"),
    ("BR", "Bihar", "बिहार"),
    ("CH", "Chandigarh", "चंडीगढ़"),
    ("CG", "Chhattisgarh", "छत्तीसगढ़"),
    ("DH", "Dadra and Nagar Haveli and Daman and Diu", "दादरा और नगर हवेली और दमन और दीव"),
    ("DL", "Delhi", "दिल्ली"),
    ("GA", "Goa", "गोवा"),
    ("GJ", "Gujarat", "गुजरात"),
    ("HR", "Haryana", "हरियाणा"),
    ("HP", "Himachal Pradesh", "हिमाचल प्रदेश"),
    ("JK", "Jammu and Kashmir", "जम्मू और कश्मीर"),
    ("JH", "Jharkhand", "झारखंड"),
    ("KA", "Karnataka", "कर्नाटक"),
    ("KL", "Kerala", "केरल"),
    ("LA", "Ladakh", "लद्दाख"),
    ("LD", "Lakshadweep", "लक्षद्वीप"),
    ("MP", "Madhya Pradesh", "मध्य प्रदेश"),
    ("MH", "Maharashtra", "महाराष्ट्र"),
    ("MN", "Manipur", "मणिपुर"),
    ("ML", "Meghalaya", "मेघालय"),
    ("MZ", "Mizoram", "मिज़ोरम"),
    ("NL", "Nagaland", "नागालैंड"),
    ("OD", "Odisha", "ओडिशा"),
    ("PY", "Puducherry", "पुदुचेरी"),
    ("PB", "Punjab", "पंजाब"),
    ("RJ", "Rajasthan", "राजस्थान"),
    ("SK", "Sikkim", "सिक्किम"),
    ("TN", "Tamil Nadu", "तमिलनाडु"),
    ("TG", "Telangana", "तेलंगाना"),
    ("TR", "Tripura", "त्रिपुरा"),
    ("UP", "Uttar Pradesh", "उत्तर प्रदेश"),
    ("UK", "Uttarakhand", "उत्तराखंड"),
    ("WB", "West Bengal", "पश्चिम बंगाल"),
];

pub fn state_name(locale: Locale, code: &str) -> String {
    match STATES.iter().find(|(c, ..)| c.eq_ignore_ascii_case(code)) {
        Some((_, en, hi)) => (if locale == Locale::Hi { hi } else { en }).to_string(),
        None => code.to_owned(),
    }
}

fn month_name(locale: Locale, m: Month) -> &'static str {
    use Month::*;
    match locale {
        Locale::En => month_abbrev(m),
        Locale::Hi => match m {
            January => "जनवरी",
            February => "फ़रवरी",
            March => "मार्च",
            April => "अप्रैल",
            May => "मई",
            June => "जून",
            July => "जुलाई",
            August => "अगस्त",
            September => "सितंबर",
            October => "अक्तूबर",
            November => "नवंबर",
            December => "दिसंबर",
        },
    }
}

/// `25 Nov 2026` / `25 नवंबर 2026`.
pub fn date(locale: Locale, d: Date) -> String {
    format!("{:02} {} {}", d.day(), month_name(locale, d.month()), d.year())
}

/// `25 Nov 2026, 14:16 IST`: an instant as the customer's clock in India shows it.
pub fn date_time(locale: Locale, t: Timestamp) -> String {
    match locale {
        Locale::En => t.to_ist_display(),
        Locale::Hi => {
            let ist = t.get().to_offset(IST);
            format!("{}, {:02}:{:02} IST", date(locale, ist.date()), ist.hour(), ist.minute())
        }
    }
}

/// `4:05`: minutes and seconds left.
pub fn countdown(seconds: i64) -> String {
    let s = seconds.max(0);
    format!("{}:{:02}", s / 60, s % 60)
}
