//! The confirmation of a destructive change: the command(s) it stands for, and for the worst
//! (flushing the table) a word the user must type before Enter applies.

use crate::console::stale::Expected;
use crate::operation::Operation;
use tui_input::{Input, InputRequest};

#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    pub ops: Vec<Operation>,
    word: Option<&'static str>,
    input: Input,
    /// The object as the operator saw it, for the stale check (a weight key's change).
    pub expect: Option<Expected>,
    /// A warning above the commands: what the object's owner will do with the change.
    pub note: Option<String>,
}

impl Confirm {
    /// `word`: `Some("flush")` makes the user type that word before Enter applies.
    pub fn new<O: Into<Operation>>(
        title: impl Into<String>,
        ops: impl IntoIterator<Item = O>,
        word: Option<&'static str>,
    ) -> Confirm {
        Confirm {
            title: title.into(),
            ops: ops.into_iter().map(Into::into).collect(),
            word,
            input: Input::default(),
            expect: None,
            note: None,
        }
    }

    /// Says `note` above the commands.
    pub fn with_note(mut self, note: impl Into<String>) -> Confirm {
        self.note = Some(note.into());
        self
    }

    /// Applies only if the object is still as the operator saw it.
    pub fn expecting(mut self, expect: Option<Expected>) -> Confirm {
        self.expect = expect;
        self
    }

    pub fn edit(&mut self, req: InputRequest) {
        if self.word.is_some() {
            self.input.handle(req);
        }
    }

    /// Enter may apply: no word is asked for, or it has been typed exactly.
    pub fn ready(&self) -> bool {
        self.word.is_none_or(|w| self.input.value() == w)
    }

    /// The word to type, if one is asked for.
    pub fn word(&self) -> Option<&'static str> {
        self.word
    }

    /// What has been typed so far.
    pub fn input(&self) -> &Input {
        &self.input
    }

    /// The equivalent commands, one per operation.
    pub fn commands(&self) -> Vec<String> {
        self.ops.iter().map(Operation::to_command).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::IpvsOp;

    #[test]
    fn enter_applies_at_once_without_a_word_and_only_after_the_exact_word_with_one() {
        assert!(Confirm::new("Delete", vec![IpvsOp::Zero(None)], None).ready());
        let mut c = Confirm::new("Flush", vec![IpvsOp::Flush], Some("flush"));
        assert!(!c.ready());
        for ch in "Flush".chars() {
            c.edit(InputRequest::InsertChar(ch));
        }
        assert!(!c.ready(), "the word is typed exactly");
        c.edit(InputRequest::DeleteLine);
        "flush"
            .chars()
            .for_each(|ch| c.edit(InputRequest::InsertChar(ch)));
        assert!(c.ready());
        c.edit(InputRequest::InsertChar('!'));
        assert!(!c.ready());
        assert_eq!(c.commands(), ["ipvsadm -C"]);
    }
}
