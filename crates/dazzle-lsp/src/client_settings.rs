//! Settings the editor sends, from `initializationOptions` (`{"rules": …, "codeLens": …}`) and
//! from `workspace/didChangeConfiguration` (the same under `"dazzle"`, or bare): rule severities,
//! which apply on top of the project's `[tool.dazzle-lsp.severity]`, and which code lenses to show.

use std::collections::HashMap;

use dazzle_analysis::diagnostics::{Diagnostic, Severity};
use serde_json::Value;

/// Severity overrides by code; `None` turns a code off.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct RuleOverrides(HashMap<String, Option<Severity>>);

impl RuleOverrides {
    /// Reads the `rules` object of a settings value: `None` when the settings do not mention
    /// rules (a client may send empty settings; the current rules then stay). Each rejected
    /// entry becomes a message.
    pub(crate) fn from_settings(settings: &Value) -> (Option<RuleOverrides>, Vec<String>) {
        let rules = settings.get("dazzle").unwrap_or(settings).get("rules");
        let mut overrides = HashMap::new();
        let mut problems = Vec::new();
        match rules {
            None | Some(Value::Null) => return (None, problems),
            Some(Value::Object(map)) => {
                for (code, value) in map {
                    match value.as_str().and_then(Severity::from_setting) {
                        Some(severity) => {
                            overrides.insert(code.clone(), severity);
                        }
                        None => problems.push(format!(
                            "dazzle.rules.{code}: expected \"error\", \"warning\", \"info\", \"hint\" or \"off\", got {value}"
                        )),
                    }
                }
            }
            Some(other) => problems.push(format!("dazzle.rules: expected an object of code → severity, got {other}")),
        }
        (Some(RuleOverrides(overrides)), problems)
    }

    /// Applies the overrides: codes turned off are dropped, the others get their severity.
    pub(crate) fn apply(&self, findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
        if self.0.is_empty() {
            return findings;
        }
        findings
            .into_iter()
            .filter_map(|mut d| match self.0.get(d.code) {
                Some(None) => None,
                Some(Some(severity)) => {
                    d.severity = *severity;
                    Some(d)
                }
                None => Some(d),
            })
            .collect()
    }
}

/// Which code lenses the server shows over entity headers (both by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LensSettings {
    /// The entity's matrix row per persona.
    pub matrix: bool,
    /// What changed in that row since `HEAD`.
    pub changes: bool,
}

impl Default for LensSettings {
    fn default() -> LensSettings {
        LensSettings { matrix: true, changes: true }
    }
}

impl LensSettings {
    /// Reads `codeLens: {matrix: bool, changes: bool}` on top of `current`: `None` when the
    /// settings do not mention code lenses; a non-boolean value becomes a message.
    pub(crate) fn from_settings(settings: &Value, current: LensSettings) -> (Option<LensSettings>, Vec<String>) {
        let Some(lens) = settings.get("dazzle").unwrap_or(settings).get("codeLens").filter(|v| !v.is_null()) else {
            return (None, Vec::new());
        };
        let mut out = current;
        let mut problems = Vec::new();
        let Some(map) = lens.as_object() else {
            return (
                None,
                vec![format!("dazzle.codeLens: expected {{\"matrix\": bool, \"changes\": bool}}, got {lens}")],
            );
        };
        for (key, value) in map {
            let slot = match key.as_str() {
                "matrix" => &mut out.matrix,
                "changes" => &mut out.changes,
                _ => {
                    problems.push(format!("dazzle.codeLens.{key}: unknown setting (known: matrix, changes)"));
                    continue;
                }
            };
            match value.as_bool() {
                Some(on) => *slot = on,
                None => problems.push(format!("dazzle.codeLens.{key}: expected true or false, got {value}")),
            }
        }
        (Some(out), problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_both_shapes_and_reports_bad_entries() {
        let (a, problems) = RuleOverrides::from_settings(&json!({"rules": {"missing-audit": "error"}}));
        assert!(problems.is_empty());
        let (b, _) = RuleOverrides::from_settings(&json!({"dazzle": {"rules": {"missing-audit": "error"}}}));
        assert_eq!(a, b);
        assert_eq!(a.unwrap().0.get("missing-audit"), Some(&Some(Severity::Error)));

        let (c, problems) =
            RuleOverrides::from_settings(&json!({"rules": {"anti-turing": "off", "x": "loud", "y": 3}}));
        assert_eq!(c.unwrap().0.get("anti-turing"), Some(&None));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("dazzle.rules.x") && p.contains("\"loud\"")));

        let (_, problems) = RuleOverrides::from_settings(&json!({"rules": ["missing-audit"]}));
        assert_eq!(problems.len(), 1);
        // Settings without rules (Eglot sends `{}`) leave the current rules alone; an empty
        // object clears them.
        assert_eq!(RuleOverrides::from_settings(&json!(null)), (None, Vec::new()));
        assert_eq!(RuleOverrides::from_settings(&json!({})), (None, Vec::new()));
        assert_eq!(RuleOverrides::from_settings(&json!({"dazzle": {"trace": "off"}})), (None, Vec::new()));
        assert_eq!(RuleOverrides::from_settings(&json!({"rules": {}})), (Some(RuleOverrides::default()), Vec::new()));
    }

    #[test]
    fn lens_settings_change_only_what_they_name() {
        let on = LensSettings::default();
        assert_eq!(LensSettings::from_settings(&json!({"rules": {}}), on), (None, Vec::new()));
        let (changed, problems) = LensSettings::from_settings(&json!({"dazzle": {"codeLens": {"changes": false}}}), on);
        assert_eq!(changed, Some(LensSettings { matrix: true, changes: false }));
        assert!(problems.is_empty());
        let (changed, problems) = LensSettings::from_settings(&json!({"codeLens": {"matrix": "no", "x": true}}), on);
        assert_eq!(changed, Some(on));
        assert_eq!(problems.len(), 2, "{problems:?}");
    }
}
