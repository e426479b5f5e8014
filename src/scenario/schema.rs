//! The declarative schema behind scenario sections.
//!
//! One macro call per section lists every numeric field once, with its kind,
//! default, allowed range, unit and meaning. From that single list it
//! generates the raw serde struct that mirrors the file (with
//! `deny_unknown_fields`), the validated struct of [`Param`]s, the struct of
//! drawn values the model reads, the reference documentation and the writer of
//! the fully resolved scenario. Adding a parameter is one line here plus its
//! use in the model.

use super::param::{Kind, Param};

/// Documentation of one numeric scenario field.
#[derive(Clone, Copy, Debug)]
pub struct FieldDoc {
    /// Field name within its section.
    pub name: &'static str,
    /// Real or whole number.
    pub kind: Kind,
    /// Default value.
    pub default: f64,
    /// Allowed range, inclusive. An upper bound of 1e15 or more means none.
    pub range: (f64, f64),
    /// Unit, for the reference.
    pub unit: &'static str,
    /// Meaning, and why the default.
    pub doc: &'static str,
}

/// A validation error inside one section: the field path and a sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// Dotted path of the field, e.g. `buyer.power`.
    pub path: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// No upper bound.
pub const UNBOUNDED: f64 = 1e15;

/// Validates one field: from the raw value if present, else from the group's
/// base section, else the default.
pub fn resolve_field(
    raw: Option<&toml::Value>,
    base: Option<&Param>,
    doc: &FieldDoc,
    agent_ok: bool,
    path: &str,
) -> Result<Param, FieldError> {
    match raw {
        Some(v) => super::param::parse_param(v, doc.kind, doc.range, agent_ok).map_err(|message| FieldError {
            path: format!("{path}.{}", doc.name),
            message,
        }),
        None => Ok(base.cloned().unwrap_or_else(|| Param::fixed(doc.default, doc.kind))),
    }
}

/// Defines a scenario section. See the module documentation.
macro_rules! section {
    (
        $(#[doc = $sdoc:literal])*
        $typed:ident, $values:ident, $raw:ident, path = $path:literal, agent = $agent:expr;
        extras { $( $(#[doc = $xdoc:literal])* $xfield:ident : $xty:ty ),* $(,)? }
        $( $(#[doc = $doc:literal])* $field:ident : $kind:ident = $default:expr, [$lo:expr, $hi:expr], $unit:literal; )*
    ) => {
        #[doc = concat!("The `[", $path, "]` table as written in the file (every field optional).")]
        #[derive(Clone, Debug, Default, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $raw {
            $( $(#[doc = $xdoc])* pub $xfield: Option<$xty>, )*
            $( $(#[doc = $doc])* pub $field: Option<toml::Value>, )*
        }

        $(#[doc = $sdoc])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $typed {
            $( $(#[doc = $doc])* pub $field: $crate::scenario::param::Param, )*
        }

        #[doc = concat!("Values of `[", $path, "]` drawn for one run or one agent.")]
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub struct $values {
            $( $(#[doc = $doc])* pub $field: f64, )*
        }

        impl $typed {
            /// The section's name in the file.
            pub const PATH: &'static str = $path;
            /// Whether fields may be drawn per agent.
            pub const AGENT: bool = $agent;
            /// Documentation of every numeric field, in file order.
            pub const FIELDS: &'static [$crate::scenario::schema::FieldDoc] = &[
                $( $crate::scenario::schema::FieldDoc {
                    name: stringify!($field),
                    kind: $crate::scenario::param::Kind::$kind,
                    default: $default as f64,
                    range: ($lo as f64, $hi as f64),
                    unit: $unit,
                    doc: concat!($($doc),*),
                }, )*
            ];
            /// Every key the raw table accepts.
            pub const KEYS: &'static [&'static str] = &[ $( stringify!($xfield), )* $( stringify!($field), )* ];

            /// Validates the raw section; fields missing from `raw` come from
            /// `base` (the template a group inherits from) or the defaults.
            pub fn from_raw(raw: &$raw, base: Option<&Self>, path: &str) -> Result<Self, $crate::scenario::schema::FieldError> {
                let mut docs = Self::FIELDS.iter();
                Ok(Self { $(
                    $field: {
                        // FIELDS lists the fields in this same order.
                        let doc = docs.next().unwrap_or(&Self::FIELDS[0]);
                        $crate::scenario::schema::resolve_field(raw.$field.as_ref(), base.map(|b| &b.$field), doc, $agent, path)?
                    },
                )* })
            }

            /// The parameters in field order, with their documentation.
            pub fn params(&self) -> [(&'static $crate::scenario::schema::FieldDoc, &$crate::scenario::param::Param); Self::FIELDS.len()] {
                let mut i = 0;
                [ $( { i += 1; (&Self::FIELDS[i - 1], &self.$field) }, )* ]
            }

            /// Mutable access by field name (used by sweeps and `--set`).
            pub fn param_mut(&mut self, name: &str) -> Option<&mut $crate::scenario::param::Param> {
                match name {
                    $( stringify!($field) => Some(&mut self.$field), )*
                    _ => None,
                }
            }

            /// Draws every parameter once (run scope and agent scope alike).
            pub fn draw<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> $values {
                $values { $( $field: self.$field.sample(rng), )* }
            }

            /// Redraws only the agent-scope parameters, keeping the run's
            /// values for the rest.
            pub fn draw_agent<R: rand::Rng + ?Sized>(&self, run: &$values, rng: &mut R) -> $values {
                $values { $( $field: if self.$field.scope == $crate::scenario::param::Scope::Agent {
                    self.$field.sample(rng)
                } else {
                    run.$field
                }, )* }
            }

            /// True when some field is drawn per agent.
            pub fn has_agent_scope(&self) -> bool {
                false $( || self.$field.scope == $crate::scenario::param::Scope::Agent )*
            }

            /// Writes every field, resolved, into `table`.
            pub fn write_toml(&self, table: &mut toml::Table) {
                $( table.insert(stringify!($field).into(), $crate::scenario::param::param_to_toml(&self.$field)); )*
            }

            /// Writes the fields named in `given`, resolved, into `table`
            /// (a group's own fields; the rest it inherits).
            pub fn write_toml_given(&self, given: &[&str], table: &mut toml::Table) {
                $( if given.contains(&stringify!($field)) {
                    table.insert(stringify!($field).into(), $crate::scenario::param::param_to_toml(&self.$field));
                } )*
            }

            /// The numeric fields that `raw` sets itself, then those of
            /// `others` (name, whether set) that are set.
            pub fn given_fields(raw: &$raw, others: &[(&'static str, bool)]) -> Vec<&'static str> {
                let mut given = Vec::new();
                $( if raw.$field.is_some() {
                    given.push(stringify!($field));
                } )*
                given.extend(others.iter().filter(|(_, set)| *set).map(|(name, _)| *name));
                given
            }
        }

        impl Default for $typed {
            fn default() -> Self {
                Self { $( $field: $crate::scenario::param::Param::fixed($default as f64, $crate::scenario::param::Kind::$kind), )* }
            }
        }
    };
}

pub(crate) use section;
