//! One field of a form and how keys change it: a text input, a choice among fixed options, a
//! choice that also takes a typed name (the scheduler), an on/off switch, a set of flags, or a
//! value shown but not editable (the key of the object being edited). Any form's fields.

use tui_input::{Input, InputRequest};

/// What a field holds.
#[derive(Debug, Clone)]
pub enum Value {
    Text(Input),
    /// One of `options`: Left/Right cycle them, a typed letter picks the next one with a word starting with it.
    Choice {
        options: &'static [&'static str],
        selected: usize,
    },
    /// Typed text, with Left/Right cycling through well-known values (the scheduler).
    Combo {
        options: &'static [&'static str],
        input: Input,
    },
    /// On or off: a typed space (or Left/Right) flips it.
    Switch(bool),
    /// Three flags: Left/Right move between them, a typed space flips the one under the cursor.
    Flags {
        set: [bool; 3],
        cursor: usize,
    },
    /// Shown, never edited, never focused.
    Fixed(String),
}

/// One field: `I` names it (`FieldId` for the IPVS forms, `Question` for the wizard, ...).
#[derive(Debug, Clone)]
pub struct Field<I> {
    pub id: I,
    pub value: Value,
    /// Edited, or the form was submitted: its errors are shown.
    pub touched: bool,
    pub error: Option<String>,
}

impl<I> Field<I> {
    pub fn text(id: I, text: impl Into<String>) -> Field<I> {
        Field::new(id, Value::Text(Input::new(text.into())))
    }

    pub fn choice(id: I, options: &'static [&'static str], selected: usize) -> Field<I> {
        Field::new(
            id,
            Value::Choice {
                options,
                selected: selected.min(options.len().saturating_sub(1)),
            },
        )
    }

    pub fn combo(id: I, options: &'static [&'static str], text: impl Into<String>) -> Field<I> {
        Field::new(
            id,
            Value::Combo {
                options,
                input: Input::new(text.into()),
            },
        )
    }

    pub fn switch(id: I, on: bool) -> Field<I> {
        Field::new(id, Value::Switch(on))
    }

    pub fn flags(id: I, set: [bool; 3]) -> Field<I> {
        Field::new(id, Value::Flags { set, cursor: 0 })
    }

    pub fn fixed(id: I, text: impl Into<String>) -> Field<I> {
        Field::new(id, Value::Fixed(text.into()))
    }

    fn new(id: I, value: Value) -> Field<I> {
        Field {
            id,
            value,
            touched: false,
            error: None,
        }
    }

    pub fn focusable(&self) -> bool {
        !matches!(self.value, Value::Fixed(_))
    }

    /// The text typed into a text or combo field ("" for the others).
    pub fn typed(&self) -> &str {
        match &self.value {
            Value::Text(input) | Value::Combo { input, .. } => input.value(),
            Value::Fixed(text) => text,
            _ => "",
        }
    }

    /// The index of the selected option of a choice (0 for the others).
    pub fn selected(&self) -> usize {
        match self.value {
            Value::Choice { selected, .. } => selected,
            _ => 0,
        }
    }

    /// The flags of a flags field (all off for the others).
    pub fn flags_set(&self) -> [bool; 3] {
        match self.value {
            Value::Flags { set, .. } => set,
            _ => [false; 3],
        }
    }

    pub fn is_on(&self) -> bool {
        matches!(self.value, Value::Switch(true))
    }

    /// The value as words: the text, the option, `on`/`off` (flags: their bits, `101`; the form
    /// names them).
    pub fn shown(&self) -> String {
        match &self.value {
            Value::Text(input) | Value::Combo { input, .. } => input.value().to_string(),
            Value::Choice { options, selected } => options
                .get(*selected)
                .copied()
                .unwrap_or_default()
                .to_string(),
            Value::Switch(on) => if *on { "on" } else { "off" }.to_string(),
            Value::Flags { set, .. } => set.iter().map(|on| if *on { '1' } else { '0' }).collect(),
            Value::Fixed(text) => text.clone(),
        }
    }

    /// Applies one edit; returns whether the value changed.
    pub fn edit(&mut self, req: InputRequest) -> bool {
        use InputRequest::{GoToNextChar, GoToPrevChar, InsertChar};
        match &mut self.value {
            Value::Text(input) => input.handle(req).is_some_and(|c| c.value),
            Value::Combo { options, input } => match req {
                GoToPrevChar | GoToNextChar => {
                    let at = options.iter().position(|o| *o == input.value());
                    let next = match (at, req == GoToNextChar) {
                        (None, _) => 0,
                        (Some(i), true) => (i + 1) % options.len(),
                        (Some(i), false) => (i + options.len() - 1) % options.len(),
                    };
                    *input = Input::new(options[next].to_string());
                    true
                }
                _ => input.handle(req).is_some_and(|c| c.value),
            },
            Value::Choice { options, selected } => {
                let n = options.len();
                let before = *selected;
                match req {
                    GoToPrevChar => *selected = (*selected + n - 1) % n,
                    GoToNextChar => *selected = (*selected + 1) % n,
                    InsertChar(c) => {
                        // Any word of an option counts: `n` finds "masquerading (NAT, -m)".
                        let c = c.to_ascii_lowercase();
                        let starts = |i: usize| {
                            options[i].split(|ch: char| !ch.is_alphanumeric()).any(|w| {
                                w.chars()
                                    .next()
                                    .is_some_and(|f| f.to_ascii_lowercase() == c)
                            })
                        };
                        if let Some(i) = (1..=n).map(|k| (*selected + k) % n).find(|&i| starts(i)) {
                            *selected = i;
                        }
                    }
                    _ => {}
                }
                *selected != before
            }
            Value::Switch(on) => match req {
                InsertChar(' ') | GoToPrevChar | GoToNextChar => {
                    *on = !*on;
                    true
                }
                InsertChar('y' | 'Y' | '1') if !*on => {
                    *on = true;
                    true
                }
                InsertChar('n' | 'N' | '0') if *on => {
                    *on = false;
                    true
                }
                _ => false,
            },
            Value::Flags { set, cursor } => match req {
                GoToPrevChar => {
                    *cursor = (*cursor + 2) % 3;
                    false
                }
                GoToNextChar => {
                    *cursor = (*cursor + 1) % 3;
                    false
                }
                InsertChar(' ') => {
                    set[*cursor] = !set[*cursor];
                    true
                }
                _ => false,
            },
            Value::Fixed(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use InputRequest::*;

    #[test]
    fn a_choice_cycles_both_ways_and_a_letter_picks_the_next_option_with_a_word_starting_with_it() {
        const OPTIONS: &[&str] = &["TCP", "UDP", "SCTP", "firewall mark"];
        let mut f = Field::choice((), OPTIONS, 0);
        assert!(f.edit(GoToPrevChar));
        assert_eq!(f.shown(), "firewall mark");
        assert!(f.edit(GoToNextChar));
        assert_eq!(f.shown(), "TCP");
        assert!(f.edit(InsertChar('s')));
        assert_eq!(f.shown(), "SCTP");
        assert!(!f.edit(InsertChar('x')), "no option starts with x");
        assert!(!f.edit(DeletePrevChar));
        assert_eq!(f.shown(), "SCTP");
        assert!(f.edit(InsertChar('m')), "a later word counts");
        assert_eq!(f.shown(), "firewall mark");
    }

    #[test]
    fn a_combo_cycles_known_names_and_takes_typed_text() {
        const OPTIONS: &[&str] = &["rr", "wlc", "sh"];
        let mut f = Field::combo((), OPTIONS, "wlc");
        f.edit(GoToNextChar);
        assert_eq!(f.typed(), "sh");
        f.edit(GoToNextChar);
        assert_eq!(f.typed(), "rr");
        f.edit(GoToPrevChar);
        assert_eq!(f.typed(), "sh");
        f.edit(InsertChar('x'));
        assert_eq!(f.typed(), "shx");
        f.edit(GoToNextChar);
        assert_eq!(f.typed(), "rr", "an unknown name cycles from the first");
    }

    #[test]
    fn a_switch_flips_on_space_and_flags_flip_under_the_cursor() {
        let mut s = Field::switch((), false);
        assert!(s.edit(InsertChar(' ')));
        assert!(s.is_on());
        assert!(!s.edit(InsertChar('y')), "already on");
        assert!(s.edit(InsertChar('n')));
        assert!(!s.is_on());
        let mut f = Field::flags((), [false; 3]);
        f.edit(GoToNextChar);
        f.edit(InsertChar(' '));
        f.edit(GoToPrevChar);
        f.edit(GoToPrevChar);
        f.edit(InsertChar(' '));
        assert!(matches!(
            f.value,
            Value::Flags {
                set: [false, true, true],
                cursor: 2
            }
        ));
    }
}
