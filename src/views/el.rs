//! Elements built by a few shared functions instead of `html!`.
//!
//! `html!` expands every element in place: its attribute array, listener array and child list are code at
//! each use, and every screen's expansions were inlined into one view function of about 76 KB of wasm. Here an
//! element is a boxed `VTag` passed from step to step (one pointer), each step one call to a function that
//! exists once in the binary. Every attribute, `class` included, is a plain attribute, so the same markup
//! renders in the browser and on the server (`crate::ssr`), and Yew's `Classes` set is not needed.

use std::rc::Rc;

use yew::html::{onblur, onchange, onclick, oninput, onkeydown, onsubmit};
use yew::virtual_dom::{AttrValue, Attributes, Listeners, VNode, VTag, VText};
use yew::{Callback, FocusEvent, Html, InputEvent, KeyboardEvent, MouseEvent, NodeRef, SubmitEvent};

/// An element under construction.
pub struct El(Box<VTag>);

fn boxed(tag: VTag) -> El {
    El(Box::new(tag))
}

/// An element that is not a form control.
pub fn el(tag: &'static str) -> El {
    boxed(VTag::__new_other(
        AttrValue::Static(tag),
        NodeRef::default(),
        None,
        Attributes::Static(&[]),
        Listeners::None,
        VNode::default(),
    ))
}

/// An `<input>`: its value and checkedness are the DOM's properties, kept as the state says.
pub fn input(kind: &'static str) -> El {
    boxed(VTag::__new_input(None, None, NodeRef::default(), None, Attributes::Static(&[]), Listeners::None))
        .attr("type", kind)
}

/// A `<textarea>` showing `value`.
pub fn textarea(value: &str) -> El {
    boxed(VTag::__new_textarea(
        Some(AttrValue::from(value.to_owned())),
        None,
        NodeRef::default(),
        None,
        Attributes::Static(&[]),
        Listeners::None,
    ))
}

/// A text node.
pub fn text(s: impl Into<AttrValue>) -> Html {
    VNode::VText(VText::new(s))
}

/// Nothing (an empty fragment).
pub fn none() -> Html {
    Html::default()
}

/// Nodes side by side, without an element around them.
pub fn list(nodes: impl IntoIterator<Item = Html>) -> Html {
    let mut out = Html::default();
    out.to_vlist_mut().add_children(nodes);
    out
}

/// The steps are kept out of line (`#[inline(never)]`): each use in a screen is then a call, not a copy of the
/// step's body (the attribute map's insertion, the listener's allocation); measured, 1.2 KB of gzipped wasm.
impl El {
    pub fn attr(self, name: &'static str, value: impl Into<AttrValue>) -> El {
        self.set(name, value.into())
    }

    /// The one place an attribute is set.
    #[inline(never)]
    fn set(mut self, name: &'static str, value: AttrValue) -> El {
        self.0.add_attribute(name, value);
        self
    }

    /// `name` when there is a value, nothing otherwise.
    pub fn maybe(self, name: &'static str, value: Option<impl Into<AttrValue>>) -> El {
        match value {
            Some(v) => self.attr(name, v),
            None => self,
        }
    }

    /// A boolean attribute (`disabled`, `selected`, `readonly`): present or absent.
    #[inline(never)]
    pub fn flag(self, name: &'static str, on: bool) -> El {
        if on { self.set(name, AttrValue::Static(name)) } else { self }
    }

    #[inline(never)]
    pub fn class(self, class: &'static str) -> El {
        self.set("class", AttrValue::Static(class))
    }

    /// The element's `data-testid` (docs/widget.md, "Test hooks").
    pub fn testid(self, id: impl Into<AttrValue>) -> El {
        self.attr("data-testid", id)
    }

    #[inline(never)]
    pub fn child(mut self, node: Html) -> El {
        self.0.add_child(node);
        self
    }

    /// Nodes made from data (rows, options), in one slot of their own: however many there are, the element's
    /// other children keep their places. Yew matches unkeyed children by position (from the end), so a child
    /// that moved would be rebuilt, and an input being typed in would lose its caret.
    pub fn children(self, nodes: impl IntoIterator<Item = Html>) -> El {
        self.child(list(nodes))
    }

    /// A child that is there or not, holding its slot either way (see [`El::children`]).
    #[inline(never)]
    pub fn opt(self, node: Option<Html>) -> El {
        self.child(node.unwrap_or_default())
    }

    pub fn text(self, s: impl Into<AttrValue>) -> El {
        self.child(text(s))
    }

    /// An input's or textarea's current value.
    #[inline(never)]
    pub fn value(mut self, v: &str) -> El {
        self.0.set_value(AttrValue::from(v.to_owned()));
        self
    }

    /// A checkbox's or radio button's checkedness.
    #[inline(never)]
    pub fn checked(mut self, on: bool) -> El {
        self.0.set_checked(on);
        self
    }

    #[inline(never)]
    pub fn node_ref(mut self, r: NodeRef) -> El {
        self.0.node_ref = r;
        self
    }

    #[inline(never)]
    pub fn on_click(mut self, cb: Callback<MouseEvent>) -> El {
        self.0.add_listener(Rc::new(onclick::Wrapper::new(cb)));
        self
    }

    #[inline(never)]
    pub fn on_input(mut self, cb: Callback<InputEvent>) -> El {
        self.0.add_listener(Rc::new(oninput::Wrapper::new(cb)));
        self
    }

    #[inline(never)]
    pub fn on_change(mut self, cb: Callback<web_sys::Event>) -> El {
        self.0.add_listener(Rc::new(onchange::Wrapper::new(cb)));
        self
    }

    #[inline(never)]
    pub fn on_blur(mut self, cb: Callback<FocusEvent>) -> El {
        self.0.add_listener(Rc::new(onblur::Wrapper::new(cb)));
        self
    }

    #[inline(never)]
    pub fn on_keydown(mut self, cb: Callback<KeyboardEvent>) -> El {
        self.0.add_listener(Rc::new(onkeydown::Wrapper::new(cb)));
        self
    }

    #[inline(never)]
    pub fn on_submit(mut self, cb: Callback<SubmitEvent>) -> El {
        self.0.add_listener(Rc::new(onsubmit::Wrapper::new(cb)));
        self
    }

    #[inline(never)]
    pub fn done(self) -> Html {
        VNode::VTag(Rc::from(self.0))
    }
}

impl From<El> for Html {
    fn from(e: El) -> Html {
        e.done()
    }
}
