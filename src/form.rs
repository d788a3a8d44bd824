//! The customer-input form generated from a biller's params: which control each param gets, how "A or B" groups
//! are laid out, and which error a field shows when. The rules themselves are bbps-core's
//! `ParamRules` ([`crate::pattern::Rules`]).

use bbps_core::biller::category_code;
use bbps_core::{ApiError, Biller, DataType, ErrorCode, FieldError, ParamErrorCode, ParamValues};

use crate::pattern::Rules;

/// The control a param is entered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Control<'a> {
    /// A fixed list of values.
    Select(&'a [String]),
    /// A text input; `numeric` brings up the phone's number pad.
    Text { numeric: bool },
}

/// One block of the form: a param on its own, or a fieldset of params of which at least one must be filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Single(usize),
    Group { group: usize, members: Vec<usize> },
}

/// The form's blocks in the biller's param order; a group sits where its first member is.
pub fn layout(biller: &Biller) -> Vec<Block> {
    let group_of = |name: &str| biller.param_groups.iter().position(|g| g.params.iter().any(|p| p == name));
    let mut blocks = Vec::new();
    for (i, param) in biller.params.iter().enumerate() {
        match group_of(&param.name) {
            None => blocks.push(Block::Single(i)),
            Some(g) if !blocks.iter().any(|b| matches!(b, Block::Group { group, .. } if *group == g)) => {
                let members = biller.params.iter().enumerate().filter(|(_, p)| group_of(&p.name) == Some(g));
                blocks.push(Block::Group { group: g, members: members.map(|(j, _)| j).collect() });
            }
            Some(_) => {}
        }
    }
    blocks
}

pub fn control(param: &bbps_core::CustomerParam) -> Control<'_> {
    match &param.values {
        Some(values) if !values.is_empty() => Control::Select(values),
        _ => Control::Text { numeric: param.data_type == DataType::Numeric },
    }
}

/// The DOM id of a param's input, and the stem of its `data-testid` (`param-consumer-number`).
pub fn field_slug(name: &str) -> String {
    category_code(name)
}

/// What is wrong with a field, as shown beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldIssue {
    /// A rule of the biller's (checked here, or by the server with the same code).
    Param(FieldError),
    /// A server error tied to the field that is not a param rule (e.g. `bill_invalid_account`).
    Server(ErrorCode),
}

/// The form's state: what the customer typed (kept across back navigation), which fields were left once, and
/// the server's errors until the field is edited again. A biller has a handful of params, so plain lists serve
/// (and cost less wasm than ordered maps and sets).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParamForm {
    pub values: ParamValues,
    pub touched: Vec<String>,
    pub server: Vec<(String, FieldIssue)>,
    pub submitted: bool,
}

impl ParamForm {
    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn input(&mut self, name: &str, value: String) {
        self.server.retain(|(field, _)| field != name);
        self.values.insert(name.to_owned(), value);
    }

    /// Inline validation starts after the field is first left, or after a submit.
    pub fn blur(&mut self, name: &str) {
        if !self.is_touched(name) {
            self.touched.push(name.to_owned());
        }
    }

    fn is_touched(&self, name: &str) -> bool {
        self.touched.iter().any(|t| t == name)
    }

    /// The error a field shows now, if any.
    pub fn issue(&self, rules: &Rules, name: &str) -> Option<FieldIssue> {
        if let Some((_, server)) = self.server.iter().find(|(field, _)| field == name) {
            return Some(server.clone());
        }
        if !(self.submitted || self.is_touched(name)) {
            return None;
        }
        rules.check_field(name, self.value(name)).map(FieldIssue::Param)
    }

    /// The error of an "A or B" group: none of its members filled, once the customer submitted or left them all.
    pub fn group_issue(&self, members: &[String]) -> Option<FieldIssue> {
        let judged = self.submitted || members.iter().all(|m| self.is_touched(m));
        let filled = members.iter().any(|m| !self.value(m).trim().is_empty());
        (judged && !filled).then(|| {
            FieldIssue::Param(FieldError {
                field: members.first().cloned().unwrap_or_default(),
                code: ParamErrorCode::ParamGroupUnsatisfied,
                limit: None,
                group: members.to_vec(),
            })
        })
    }

    /// Puts a server's rejection beside the fields it names. Returns whether any field took it.
    pub fn take_server_errors(&mut self, e: &ApiError, biller: &Biller) -> bool {
        let known = |f: &str| biller.params.iter().any(|p| p.name == f);
        let mut placed = false;
        for fe in e.errors.iter().filter(|fe| known(&fe.field)) {
            self.put_server(&fe.field, FieldIssue::Param(fe.clone()));
            placed = true;
        }
        if !placed && let Some(field) = e.field.as_deref().filter(|f| known(f)) {
            // A param rule's code is the server's error code of the same wire name (bbps-core holds them equal).
            let issue = match ParamErrorCode::parse(e.code.as_str()).ok() {
                Some(code) => FieldIssue::Param(FieldError { field: field.into(), code, limit: None, group: vec![] }),
                None => FieldIssue::Server(e.code),
            };
            self.put_server(field, issue);
            placed = true;
        }
        placed
    }

    fn put_server(&mut self, field: &str, issue: FieldIssue) {
        self.server.retain(|(f, _)| f != field);
        self.server.push((field.to_owned(), issue));
    }
}
