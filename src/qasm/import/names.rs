//! qmlc spellings for OpenQASM names: ASCII, and clear of qmlc's keywords and builtins.

use crate::builtins::KEYWORDS;
use crate::ir::GateKind;
use std::collections::HashSet;

/// Greek letters, which OpenQASM 3 programs use for angles, spelt out.
const GREEK: &[(char, &str)] = &[
    ('α', "alpha"),
    ('β', "beta"),
    ('γ', "gamma"),
    ('δ', "delta"),
    ('ε', "epsilon"),
    ('ζ', "zeta"),
    ('η', "eta"),
    ('θ', "theta"),
    ('ι', "iota"),
    ('κ', "kappa"),
    ('λ', "lambda"),
    ('μ', "mu"),
    ('ν', "nu"),
    ('ξ', "xi"),
    ('ο', "omicron"),
    ('π', "pi"),
    ('ρ', "rho"),
    ('σ', "sigma"),
    ('τ', "tau"),
    ('υ', "upsilon"),
    ('φ', "phi"),
    ('χ', "chi"),
    ('ψ', "psi"),
    ('ω', "omega"),
];

/// The names a program has given out so far, so that no two declarations share one.
#[derive(Debug, Default)]
pub struct Names {
    taken: HashSet<String>,
}

impl Names {
    /// The qmlc name for an OpenQASM name: the same when qmlc can spell it and does not reserve
    /// it, else a close spelling, unique among the names given out. `is_def`: the name is a
    /// def's, which may not be a gate's name even of one letter.
    pub fn give(&mut self, name: &str, is_def: bool) -> String {
        let mut spelt = String::new();
        for ch in name.chars() {
            if ch.is_ascii_alphanumeric() || ch == '_' {
                spelt.push(ch);
            } else if let Some((_, word)) = GREEK.iter().find(|(letter, _)| *letter == ch) {
                spelt.push_str(word);
            } else if let Some((_, word)) =
                GREEK.iter().find(|(letter, _)| ch.to_lowercase().any(|lower| lower == *letter))
            {
                spelt.push_str(&word.to_uppercase());
            } else {
                spelt.push_str(&format!("u{:x}", ch as u32));
            }
        }
        if spelt.starts_with(|c: char| c.is_ascii_digit()) || spelt.is_empty() {
            spelt.insert(0, '_');
        }
        let mut candidate = spelt.clone();
        let mut counter = 1;
        while reserved(&candidate, is_def) || self.taken.contains(&candidate) {
            counter += 1;
            candidate = if counter == 2 { format!("{spelt}_") } else { format!("{spelt}_{counter}") };
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

/// Whether qmlc keeps `name` for itself: a keyword, or a builtin a declaration may not shadow.
pub fn reserved(name: &str, is_def: bool) -> bool {
    KEYWORDS.iter().any(|keyword| keyword.name == name)
        || crate::check::is_reserved(name)
        || (is_def && GateKind::from_name(name).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_unicode_names_are_respelt_and_kept_apart() {
        let mut names = Names::default();
        assert_eq!(names.give("theta", false), "theta");
        assert_eq!(names.give("θ", false), "theta_");
        assert_eq!(names.give("rx", false), "rx_");
        assert_eq!(names.give("for", false), "for_");
        assert_eq!(names.give("x", false), "x");
        assert_eq!(names.give("h", true), "h_");
        assert_eq!(names.give("Θ1", false), "THETA1");
        assert_eq!(names.give("a€", false), "au20ac");
    }
}
