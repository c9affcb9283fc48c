//! The two dialects of Dazzle the parser understands.

use std::fmt;
use std::str::FromStr;

/// A version of the Dazzle language. The parser accepts the union of both; the dialect decides
/// which constructs are reported as removed (0.125) or not yet existing (0.112).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    /// The upstream repository head (0.112.0): the dialect nearly all real files are written in.
    V0_112,
    /// The released package `dazzle-dsl 0.125.0`, which removed 25 constructs.
    #[default]
    V0_125,
}

impl Dialect {
    /// The version as users write it: `0.112` or `0.125`.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::V0_112 => "0.112",
            Dialect::V0_125 => "0.125",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Dialect {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim_start_matches('v') {
            "0.112" | "0.112.0" => Ok(Dialect::V0_112),
            "0.125" | "0.125.0" => Ok(Dialect::V0_125),
            other => Err(format!("unknown Dazzle dialect `{other}` (expected 0.112 or 0.125)")),
        }
    }
}
