//! The linked project model: modules in dependency order, the root module's app settings,
//! personas, and entities after archetype expansion and framework injection — what the
//! reference's linker hands to the matrix (security-semantics §1.1, dsl-syntax §4).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use dazzle_syntax::{Dialect, SyntaxKind};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::access::AccessSpec;
use crate::db::{Db, Project, SourceFile, item_index, manifest, module_name};
use crate::framework;
use crate::item_index::{AtomicFlow, Audit, EntityItem, FieldItem};

/// The app's `security_profile`, after the reference's fallback (unknown → basic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SecurityProfile {
    /// `basic` (also any unknown value, and no app at all).
    #[default]
    Basic,
    /// `standard`
    Standard,
    /// `strict`
    Strict,
}

impl SecurityProfile {
    /// The reference's reading of a `security_profile:` value: one token, a string's content
    /// included (`"strict"`), in any letter case.
    pub fn from_value(value: &str) -> Option<SecurityProfile> {
        let unquoted = ['"', '\'']
            .iter()
            .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
            .filter(|_| value.len() >= 2)
            .unwrap_or(value);
        match unquoted.to_lowercase().as_str() {
            "basic" => Some(SecurityProfile::Basic),
            "standard" => Some(SecurityProfile::Standard),
            "strict" => Some(SecurityProfile::Strict),
            _ => None,
        }
    }

    /// `basic`, `standard` or `strict`.
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityProfile::Basic => "basic",
            SecurityProfile::Standard => "standard",
            SecurityProfile::Strict => "strict",
        }
    }
}

/// An entity as the matrix sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinkedEntity {
    /// Its name.
    pub name: String,
    /// The file declaring it (`None` for framework entities).
    pub file: Option<SourceFile>,
    /// Access rules; `None` when it declares none (the reference's `access is None`).
    pub access: Option<Arc<AccessSpec>>,
    /// `patterns:`
    pub patterns: Vec<String>,
    /// `domain:`
    pub domain: Option<String>,
    /// Fields, including those merged from `extends:` archetypes.
    pub fields: Arc<[FieldItem]>,
    /// Its `audit:` lines in order (the last one decides; see [`crate::audit`]).
    pub audit_lines: Vec<Audit>,
    /// `archetype:` kind.
    pub archetype_kind: Option<String>,
    /// `signable: true`
    pub signable: bool,
    /// Added by the framework rather than declared.
    pub injected: bool,
}

/// A module of the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// Its name.
    pub name: String,
    /// The file that defines it.
    pub file: SourceFile,
}

/// A problem found while linking, anchored to what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkDiagnostic {
    /// Stable code.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// The file it is in, if any.
    pub file: Option<SourceFile>,
    /// The name (module, definition) it is about, to locate it in the file.
    pub subject: Option<(SyntaxKind, String)>,
}

/// The linked project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectModel {
    /// Modules in the reference's topological order.
    pub modules: Vec<Module>,
    /// The root module's name.
    pub root: Option<String>,
    /// Persona ids, deduplicated, in module order: the matrix columns.
    pub personas: Vec<String>,
    /// Linked entities in matrix row order.
    pub entities: Vec<Arc<LinkedEntity>>,
    /// The security profile in effect.
    pub security_profile: SecurityProfile,
    /// The raw `security_profile:` value, when present.
    pub security_profile_value: Option<String>,
    /// `multi_tenant: true`
    pub multi_tenant: bool,
    /// `audit_trail: true`
    pub audit_trail: bool,
    /// The dialect the model follows: chosen (command line, then `dazzle.toml`), else 0.112
    /// when a file uses syntax that only 0.112 accepts, else 0.125.
    pub dialect: Dialect,
    /// 0.112 atomic flows in module order.
    pub atomic_flows: Vec<AtomicFlow>,
    /// Link problems.
    pub diagnostics: Vec<LinkDiagnostic>,
}

/// Links the project's files into one model.
#[salsa::tracked(returns(ref))]
pub fn project_model(db: &dyn Db, project: Project) -> Arc<ProjectModel> {
    let manifest = manifest(db, project);
    let files = project.files(db);
    let mut model = ProjectModel {
        modules: Vec::new(),
        root: None,
        personas: Vec::new(),
        entities: Vec::new(),
        security_profile: SecurityProfile::Basic,
        security_profile_value: None,
        multi_tenant: false,
        audit_trail: false,
        dialect: Dialect::V0_125,
        atomic_flows: Vec::new(),
        diagnostics: Vec::new(),
    };

    // Modules, duplicates first-wins.
    let mut seen: HashMap<String, SourceFile> = HashMap::new();
    let mut modules: Vec<(String, SourceFile)> = Vec::new();
    for &file in files.iter() {
        let name = module_name(db, file).clone();
        if let Some(first) = seen.get(&name) {
            model.diagnostics.push(LinkDiagnostic {
                code: "duplicate-module",
                message: format!(
                    "Duplicate module name '{name}' defined in multiple files: {} and {}",
                    first.path(db),
                    file.path(db)
                ),
                file: Some(file),
                subject: Some((SyntaxKind::MODULE_DECL, name)),
            });
            continue;
        }
        seen.insert(name.clone(), file);
        modules.push((name, file));
    }
    model.modules = topological_order(db, &modules, &mut model.diagnostics);

    // The root module: the manifest's, else the one with an `app`, else the first.
    model.root = match &manifest.root {
        Some(root) => {
            if !model.modules.iter().any(|m| &m.name == root) {
                model.diagnostics.push(LinkDiagnostic {
                    code: "missing-root-module",
                    message: format!(
                        "Root module '{root}' not found. Available modules: [{}]",
                        model.modules.iter().map(|m| format!("'{}'", m.name)).collect::<Vec<_>>().join(", ")
                    ),
                    file: None,
                    subject: None,
                });
            }
            Some(root.clone())
        }
        None => model
            .modules
            .iter()
            .find(|m| item_index(db, m.file).app.is_some())
            .or(model.modules.first())
            .map(|m| m.name.clone()),
    };
    if let Some(root) = model.modules.iter().find(|m| Some(&m.name) == model.root.as_ref())
        && let Some(app) = &item_index(db, root.file).app
    {
        model.security_profile_value = app.property("security_profile").map(str::to_owned);
        model.security_profile =
            model.security_profile_value.as_deref().and_then(SecurityProfile::from_value).unwrap_or_default();
        model.multi_tenant = app.property("multi_tenant") == Some("true");
        model.audit_trail = app.property("audit_trail") == Some("true");
    }

    // Definitions in module order.
    let mut entity_names: FxHashSet<&str> = FxHashSet::default();
    let mut persona_ids: FxHashSet<&str> = FxHashSet::default();
    let mut archetypes: FxHashMap<&str, &EntityItem> = FxHashMap::default();
    let definitions = model.modules.iter().map(|m| item_index(db, m.file).definitions.len()).sum();
    let mut defined: FxHashMap<(SyntaxKind, &str), SourceFile> =
        FxHashMap::with_capacity_and_hasher(definitions, Default::default());
    let mut declared: Vec<(SourceFile, &EntityItem)> = Vec::new();
    let (mut llm_config, mut llm_step, mut audits, mut feedback, mut guides) = (false, false, false, false, false);
    let (mut jobs, mut uses_0112) = (false, false);
    for module in &model.modules {
        let index = item_index(db, module.file);
        for (kind, name) in &index.definitions {
            if let Some(first) = defined.get(&(*kind, name.as_str())) {
                let what = construct_word(*kind);
                model.diagnostics.push(LinkDiagnostic {
                    code: "duplicate-definition",
                    message: format!(
                        "Duplicate {what} '{name}' defined in {} and {}",
                        first.path(db),
                        module.file.path(db)
                    ),
                    file: Some(module.file),
                    subject: Some((*kind, name.clone())),
                });
            } else {
                defined.insert((*kind, name.as_str()), module.file);
            }
        }
        for persona in &index.personas {
            if persona_ids.insert(persona.id.as_str()) {
                model.personas.push(persona.id.clone());
            }
        }
        for archetype in &index.archetypes {
            archetypes.entry(archetype.name.as_str()).or_insert(archetype);
        }
        for entity in &index.entities {
            if entity_names.insert(entity.name.as_str()) {
                declared.push((module.file, entity));
            }
        }
        llm_config |= index.llm_config;
        llm_step |= index.llm_process_step;
        audits |= !index.audit_on.is_empty();
        feedback |= index.feedback_widget == Some(true);
        guides |= index.guides > 0;
        jobs |= index.jobs;
        uses_0112 |= index.uses_0112_syntax;
        model.atomic_flows.extend(index.atomic_flows.iter().cloned());
    }
    let inferred = if uses_0112 { Dialect::V0_112 } else { Dialect::V0_125 };
    model.dialect = project.dialect(db).or(manifest.dialect).unwrap_or(inferred);

    // Archetype expansion.
    for (file, item) in declared {
        model.entities.push(Arc::new(expand(item, file, &archetypes)));
    }

    // Framework injection, in the reference's order.
    let inject = |entity: LinkedEntity, model: &mut ProjectModel| {
        if !model.entities.iter().any(|e| e.name == entity.name) {
            model.entities.push(Arc::new(entity));
        }
    };
    if llm_config {
        inject(framework::ai_job(), &mut model);
    }
    if llm_step {
        inject(framework::llm_process_run(), &mut model);
    }
    if audits {
        inject(framework::audit_entry(), &mut model);
    }
    if jobs && model.dialect == Dialect::V0_112 {
        inject(framework::job_run(), &mut model);
    }
    if feedback {
        inject(framework::feedback_report(), &mut model);
    }
    if guides {
        inject(framework::onboarding_state(), &mut model);
    }
    for admin in framework::admin_entities(model.security_profile) {
        inject(admin, &mut model);
    }
    Arc::new(model)
}

/// Kahn's algorithm exactly as the reference runs it: seeded with the modules that use
/// nothing, in file order; on a cycle the remaining modules follow in file order.
fn topological_order(
    db: &dyn Db,
    modules: &[(String, SourceFile)],
    diagnostics: &mut Vec<LinkDiagnostic>,
) -> Vec<Module> {
    let names: HashSet<&str> = modules.iter().map(|(n, _)| n.as_str()).collect();
    let mut deps: Vec<HashSet<String>> = Vec::with_capacity(modules.len());
    for (name, file) in modules {
        let mut set = HashSet::new();
        for used in &item_index(db, *file).uses {
            if names.contains(used.as_str()) {
                set.insert(used.clone());
            } else {
                diagnostics.push(LinkDiagnostic {
                    code: "unknown-module",
                    message: format!("Module '{name}' depends on '{used}', but '{used}' is not defined"),
                    file: Some(*file),
                    subject: Some((SyntaxKind::USE_DECL, used.clone())),
                });
            }
        }
        deps.push(set);
    }
    let mut in_degree: Vec<usize> = deps.iter().map(HashSet::len).collect();
    let mut queue: VecDeque<usize> = (0..modules.len()).filter(|&i| in_degree[i] == 0).collect();
    let mut done = vec![false; modules.len()];
    let mut order = Vec::with_capacity(modules.len());
    while let Some(i) = queue.pop_front() {
        done[i] = true;
        order.push(Module { name: modules[i].0.clone(), file: modules[i].1 });
        for (j, d) in deps.iter().enumerate() {
            if d.contains(&modules[i].0) {
                in_degree[j] -= 1;
                if in_degree[j] == 0 {
                    queue.push_back(j);
                }
            }
        }
    }
    if order.len() < modules.len() {
        let mut cycle: Vec<&str> = (0..modules.len()).filter(|&i| !done[i]).map(|i| modules[i].0.as_str()).collect();
        cycle.sort_unstable();
        for i in (0..modules.len()).filter(|&i| !done[i]) {
            diagnostics.push(LinkDiagnostic {
                code: "module-cycle",
                message: format!("Circular dependency detected involving modules: {}", cycle.join(", ")),
                file: Some(modules[i].1),
                subject: Some((SyntaxKind::MODULE_DECL, modules[i].0.clone())),
            });
            order.push(Module { name: modules[i].0.clone(), file: modules[i].1 });
        }
    }
    order
}

/// Merges `extends:` archetype fields and applies the semantic archetypes' default access.
/// The item's fields and access rules are shared with the item index, not copied, unless an
/// archetype adds to them.
fn expand(item: &EntityItem, file: SourceFile, archetypes: &FxHashMap<&str, &EntityItem>) -> LinkedEntity {
    let mut merged: Option<Vec<FieldItem>> = None;
    for archetype in item.extends.iter().filter_map(|name| archetypes.get(name.as_str())) {
        for field in archetype.fields.iter() {
            let known = merged.as_deref().unwrap_or(&item.fields);
            if !known.iter().any(|f| f.name == field.name) {
                merged.get_or_insert_with(|| item.fields.to_vec()).push(field.clone());
            }
        }
    }
    let fields = merged.map_or_else(|| Arc::clone(&item.fields), Arc::from);
    let mut access = item.access.is_declared().then(|| Arc::clone(&item.access));
    if access.is_none()
        && matches!(item.archetype_kind.as_deref(), Some("settings" | "tenant_settings" | "user" | "user_membership"))
    {
        access = Some(Arc::new(framework::admin_only_access()));
    }
    LinkedEntity {
        name: item.name.clone(),
        file: Some(file),
        access,
        patterns: item.patterns.clone(),
        domain: item.domain.clone(),
        fields,
        audit_lines: item.audit_lines.clone(),
        archetype_kind: item.archetype_kind.clone(),
        signable: item.signable,
        injected: false,
    }
}

/// The construct keyword for messages (`entity`, `surface`, …).
pub fn construct_word(kind: SyntaxKind) -> String {
    format!("{kind:?}").to_lowercase().replace("_decl", "").replace("_on", "")
}
