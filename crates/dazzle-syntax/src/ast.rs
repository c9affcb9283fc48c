//! Typed views over the syntax tree: thin newtypes over [`SyntaxNode`] whose accessors all
//! return `Option`, since any part of a line may be missing in broken text.

use crate::grammar::is_construct_kind;
use crate::{SyntaxKind, SyntaxNode, SyntaxToken};

/// A typed view of a node kind.
pub trait AstNode: Sized {
    /// Wraps `node` if it has this view's kind.
    fn cast(node: SyntaxNode) -> Option<Self>;
    /// The underlying node.
    fn syntax(&self) -> &SyntaxNode;
}

macro_rules! ast_nodes {
    ($($(#[$doc:meta])* $name:ident = $kind:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(SyntaxNode);

        impl AstNode for $name {
            fn cast(node: SyntaxNode) -> Option<Self> {
                (node.kind() == SyntaxKind::$kind).then_some($name(node))
            }
            fn syntax(&self) -> &SyntaxNode {
                &self.0
            }
        }
    )*};
}

ast_nodes! {
    /// The whole file.
    SourceFile = SOURCE_FILE;
    /// `module a.b`
    ModuleDecl = MODULE_DECL;
    /// `use a.b [as x]`
    UseDecl = USE_DECL;
    /// `app name "Title":` and its properties.
    AppDecl = APP_DECL;
    /// The lines below a line.
    Block = BLOCK;
    /// A generic line: `key: value` or positional tokens.
    Item = ITEM;
    /// `key: value` of a known key.
    Property = PROPERTY;
    /// `a.b.c`
    DottedName = DOTTED_NAME;
    /// `a, b` or `[a, b]`.
    NameList = NAME_LIST;
    /// An entity field.
    Field = FIELD;
    /// A field type.
    FieldType = FIELD_TYPE;
    /// A field modifier.
    Modifier = MODIFIER;
    /// `= default` of a field.
    DefaultValue = DEFAULT_VALUE;
    /// `unique a, b` / `index a, b`.
    ConstraintDecl = CONSTRAINT_DECL;
    /// `soft_delete` / `legal_entity`.
    Flag = FLAG;
    /// `permit:`, `forbid:`, `access:`, `permissions:` or `visible:`.
    AccessBlock = ACCESS_BLOCK;
    /// One rule of an access block.
    AccessRule = ACCESS_RULE;
    /// `scope:`
    ScopeBlock = SCOPE_BLOCK;
    /// One rule of a scope block.
    ScopeRule = SCOPE_RULE;
    /// `as: a, b` / `as: *`
    AsClause = AS_CLAUSE;
    /// `audit: …` inside an entity.
    AuditDecl = AUDIT_DECL;
    /// `transitions:`
    Transitions = TRANSITIONS;
    /// `from -> to …`
    Transition = TRANSITION;
    /// `role(x)`
    RoleCheck = ROLE_CHECK;
    /// `has_grant("rel", field)`
    GrantCheck = GRANT_CHECK;
    /// `path op value` or a bare path.
    Comparison = COMPARISON;
    /// `a.b[Branch].c`
    Path = PATH;
    /// `[not] via J(bindings)`
    ViaExpr = VIA_EXPR;
    /// `classify E.f as CLASS`
    Classify = CLASSIFY;
    /// `erasure E.f: policy`
    Erasure = ERASURE;
    /// `relation NAME "Label":`
    GrantRelation = GRANT_RELATION;
    /// `uses entity X` and the like.
    UsesDecl = USES_DECL;
    /// `access: public | authenticated | persona(a, b)`.
    AccessSpec = ACCESS_SPEC;
    /// A named sub-block (section, action, region, …).
    SubBlock = SUB_BLOCK;
}

/// Any top-level construct (entity, surface, persona, stream, …), viewed uniformly.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Construct(SyntaxNode);

impl AstNode for Construct {
    fn cast(node: SyntaxNode) -> Option<Self> {
        is_construct_kind(node.kind()).then_some(Construct(node))
    }
    fn syntax(&self) -> &SyntaxNode {
        &self.0
    }
}

/// A condition expression of an access rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Condition {
    /// `a or b`
    Or(SyntaxNode),
    /// `a and b`
    And(SyntaxNode),
    /// `not (a)`
    Not(SyntaxNode),
    /// `(a)`
    Paren(SyntaxNode),
    /// `role(x)`
    Role(RoleCheck),
    /// `has_grant(…)`
    Grant(GrantCheck),
    /// A comparison or bare field.
    Comparison(Comparison),
    /// `via …`
    Via(ViaExpr),
    /// `all`, `authenticated`, `anonymous`, `false`.
    ShortForm(SyntaxNode),
}

impl Condition {
    /// Whether nodes of `kind` are conditions (those [`Condition::cast`] views).
    pub fn is_condition_kind(kind: SyntaxKind) -> bool {
        use SyntaxKind::*;
        matches!(
            kind,
            OR_EXPR | AND_EXPR | NOT_EXPR | PAREN_EXPR | ROLE_CHECK | GRANT_CHECK | COMPARISON | VIA_EXPR | SHORT_FORM
        )
    }

    /// The condition view of `node`, if it is a condition.
    pub fn cast(node: SyntaxNode) -> Option<Condition> {
        use SyntaxKind::*;
        Some(match node.kind() {
            OR_EXPR => Condition::Or(node),
            AND_EXPR => Condition::And(node),
            NOT_EXPR => Condition::Not(node),
            PAREN_EXPR => Condition::Paren(node),
            ROLE_CHECK => Condition::Role(RoleCheck(node)),
            GRANT_CHECK => Condition::Grant(GrantCheck(node)),
            COMPARISON => Condition::Comparison(Comparison(node)),
            VIA_EXPR => Condition::Via(ViaExpr(node)),
            SHORT_FORM => Condition::ShortForm(node),
            _ => return None,
        })
    }

    /// The underlying node.
    pub fn syntax(&self) -> &SyntaxNode {
        match self {
            Condition::Or(n) | Condition::And(n) | Condition::Not(n) | Condition::Paren(n) => n,
            Condition::ShortForm(n) => n,
            Condition::Role(n) => n.syntax(),
            Condition::Grant(n) => n.syntax(),
            Condition::Comparison(n) => n.syntax(),
            Condition::Via(n) => n.syntax(),
        }
    }

    /// The operands of `or`, `and`, `not` and parentheses.
    pub fn operands(&self) -> impl Iterator<Item = Condition> + use<> {
        self.syntax().children().filter_map(Condition::cast)
    }

    /// `or` / `and` for binary nodes, `not` for negation.
    pub fn keyword(&self) -> Option<SyntaxToken> {
        keyword_token(self.syntax())
    }
}

// ---------------------------------------------------------------- helpers

fn child<N: AstNode>(node: &SyntaxNode) -> Option<N> {
    node.children().find_map(N::cast)
}

fn children<N: AstNode>(node: &SyntaxNode) -> impl Iterator<Item = N> + use<N> {
    node.children().filter_map(N::cast)
}

fn token(node: &SyntaxNode, kind: SyntaxKind) -> Option<SyntaxToken> {
    node.children_with_tokens().filter_map(|e| e.into_token()).find(|t| t.kind() == kind)
}

fn keyword_token(node: &SyntaxNode) -> Option<SyntaxToken> {
    token(node, SyntaxKind::KEYWORD)
}

/// The identifier token inside the first child node of `kind` (`NAME` / `NAME_REF`).
fn ident_in(node: &SyntaxNode, kind: SyntaxKind) -> Option<SyntaxToken> {
    node.children().find(|n| n.kind() == kind).and_then(|n| first_ident(&n))
}

fn first_ident(node: &SyntaxNode) -> Option<SyntaxToken> {
    // NAME / NAME_REF nodes start with their identifier: no walk needed.
    match node.first_token() {
        Some(t) if t.kind() == SyntaxKind::IDENT => Some(t),
        _ => node.descendants_with_tokens().filter_map(|e| e.into_token()).find(|t| t.kind() == SyntaxKind::IDENT),
    }
}

fn block_of(node: &SyntaxNode) -> Option<Block> {
    child(node)
}

/// The lines of a node's block, as nodes.
fn block_lines(node: &SyntaxNode) -> impl Iterator<Item = SyntaxNode> + use<> {
    block_of(node).into_iter().flat_map(|b| b.0.children().collect::<Vec<_>>())
}

// ---------------------------------------------------------------- views

impl SourceFile {
    /// The `module` line, if any.
    pub fn module_decl(&self) -> Option<ModuleDecl> {
        child(&self.0)
    }
    /// The `use` lines.
    pub fn use_decls(&self) -> impl Iterator<Item = UseDecl> + use<> {
        children(&self.0)
    }
    /// The `app` line, if any.
    pub fn app_decl(&self) -> Option<AppDecl> {
        child(&self.0)
    }
    /// Every top-level construct, in order.
    pub fn constructs(&self) -> impl Iterator<Item = Construct> + use<> {
        children(&self.0)
    }
    /// The entities (and only them).
    pub fn entities(&self) -> impl Iterator<Item = Construct> + use<> {
        self.constructs().filter(|c| c.kind() == SyntaxKind::ENTITY)
    }
}

impl ModuleDecl {
    /// `a.b.c`
    pub fn name(&self) -> Option<DottedName> {
        child(&self.0)
    }
}

impl UseDecl {
    /// The module used.
    pub fn module(&self) -> Option<DottedName> {
        child(&self.0)
    }
}

impl DottedName {
    /// The name as written without trivia: `a.b.c`.
    pub fn text(&self) -> String {
        self.0
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| matches!(t.kind(), SyntaxKind::IDENT | SyntaxKind::DOT))
            .map(|t| t.text().to_owned())
            .collect()
    }
}

impl AppDecl {
    /// The app's name.
    pub fn name(&self) -> Option<SyntaxToken> {
        ident_in(&self.0, SyntaxKind::NAME)
    }
    /// The title string, quotes included.
    pub fn title(&self) -> Option<SyntaxToken> {
        token(&self.0, SyntaxKind::STRING)
    }
    /// The `key: value` lines of its body.
    pub fn properties(&self) -> impl Iterator<Item = Property> + use<> {
        block_lines(&self.0).filter_map(Property::cast)
    }
}

impl Construct {
    /// Which construct this is (`ENTITY`, `SURFACE`, `STREAM`, …).
    pub fn kind(&self) -> SyntaxKind {
        self.0.kind()
    }
    /// The construct keyword (`entity`, `surface`, …).
    pub fn keyword(&self) -> Option<SyntaxToken> {
        keyword_token(&self.0)
    }
    /// The name being defined, if the header has one.
    pub fn name(&self) -> Option<SyntaxToken> {
        ident_in(&self.0, SyntaxKind::NAME)
    }
    /// The whole name as written without spaces (`ST-001` for a story's compound id).
    pub fn name_text(&self) -> Option<String> {
        // Read from the green tree: no cursor per child or token.
        let green = self.0.green();
        let name = crate::green::child_node(&green, SyntaxKind::NAME)?;
        let mut text = String::new();
        crate::for_each_token(name, |kind, _, token| {
            if !kind.is_trivia() {
                text.push_str(token);
            }
        });
        (!text.is_empty()).then_some(text)
    }
    /// For `audit on E` / `search on E`: the entity referred to.
    pub fn target(&self) -> Option<SyntaxToken> {
        ident_in(&self.0, SyntaxKind::NAME_REF)
    }
    /// The title string of the header, quotes included.
    pub fn title(&self) -> Option<SyntaxToken> {
        token(&self.0, SyntaxKind::STRING)
    }
    /// The body.
    pub fn body(&self) -> Option<Block> {
        block_of(&self.0)
    }
    /// The lines of the body, as nodes.
    pub fn lines(&self) -> impl Iterator<Item = SyntaxNode> + use<> {
        block_lines(&self.0)
    }
    /// Entity and archetype fields.
    pub fn fields(&self) -> impl Iterator<Item = Field> + use<> {
        self.lines().filter_map(Field::cast)
    }
    /// `permit:`, `forbid:`, … blocks.
    pub fn access_blocks(&self) -> impl Iterator<Item = AccessBlock> + use<> {
        self.lines().filter_map(AccessBlock::cast)
    }
    /// `scope:` blocks.
    pub fn scope_blocks(&self) -> impl Iterator<Item = ScopeBlock> + use<> {
        self.lines().filter_map(ScopeBlock::cast)
    }
    /// `audit:` of an entity.
    pub fn audit(&self) -> Option<AuditDecl> {
        self.lines().find_map(AuditDecl::cast)
    }
    /// `key: value` lines of the body.
    pub fn properties(&self) -> impl Iterator<Item = Property> + use<> {
        self.lines().filter_map(Property::cast)
    }
    /// The property `key`, if the body has it.
    pub fn property(&self, key: &str) -> Option<Property> {
        self.properties().find(|p| p.key().is_some_and(|k| k.text() == key))
    }
}

impl Block {
    /// The lines of the block, as nodes.
    pub fn lines(&self) -> impl Iterator<Item = SyntaxNode> + use<> {
        self.0.children().collect::<Vec<_>>().into_iter()
    }
}

impl Item {
    /// The key of a `key: value` line.
    pub fn key(&self) -> Option<SyntaxToken> {
        ident_in(&self.0, SyntaxKind::KEY)
    }
    /// The value node of a `key: value` line.
    pub fn value(&self) -> Option<SyntaxNode> {
        self.0.children().find(|n| n.kind() == SyntaxKind::VALUE)
    }
    /// The block below the line.
    pub fn block(&self) -> Option<Block> {
        block_of(&self.0)
    }
}

impl Property {
    /// The key keyword.
    pub fn key(&self) -> Option<SyntaxToken> {
        keyword_token(&self.0)
    }
    /// The value node (the rest of the line), when the value is not typed.
    pub fn value(&self) -> Option<SyntaxNode> {
        self.0.children().find(|n| n.kind() == SyntaxKind::VALUE)
    }
    /// The value's text without trivia at either end.
    pub fn value_text(&self) -> Option<String> {
        self.value().map(|v| v.text().to_string().trim().to_owned())
    }
    /// A condition value (`granted_by:`).
    pub fn condition(&self) -> Option<Condition> {
        self.0.children().find_map(Condition::cast)
    }
}

impl Field {
    /// The field's name.
    pub fn name(&self) -> Option<SyntaxToken> {
        ident_in(&self.0, SyntaxKind::NAME)
    }
    /// Its type.
    pub fn ty(&self) -> Option<FieldType> {
        child(&self.0)
    }
    /// Its modifiers.
    pub fn modifiers(&self) -> impl Iterator<Item = Modifier> + use<> {
        children(&self.0)
    }
    /// `= default`.
    pub fn default_value(&self) -> Option<DefaultValue> {
        child(&self.0)
    }
    /// Whether it is `computed`.
    pub fn is_computed(&self) -> bool {
        self.0.children().any(|n| n.kind() == SyntaxKind::COMPUTED)
    }
}

impl FieldType {
    /// The type keyword (`str`, `ref`, `enum`, …).
    pub fn keyword(&self) -> Option<SyntaxToken> {
        keyword_token(&self.0)
    }
    /// The entity named by `ref X`, `has_many X`, ….
    pub fn target(&self) -> Option<SyntaxToken> {
        ident_in(&self.0, SyntaxKind::NAME_REF)
    }
    /// Enum values, poly_ref targets.
    pub fn list(&self) -> Option<NameList> {
        child(&self.0)
    }
}

impl Modifier {
    /// The modifier keyword (`required`, `pii`, …).
    pub fn keyword(&self) -> Option<SyntaxToken> {
        keyword_token(&self.0)
    }
    /// `key=value` arguments of `pii(...)`, as pairs of tokens.
    pub fn args(&self) -> Vec<(SyntaxToken, Option<SyntaxToken>)> {
        self.0
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::ARG)
            .filter_map(|arg| Some((keyword_token(&arg)?, ident_in(&arg, SyntaxKind::NAME_REF))))
            .collect()
    }
}

impl NameList {
    /// The identifiers listed.
    pub fn names(&self) -> impl Iterator<Item = SyntaxToken> + use<> {
        self.0.children().filter_map(|n| first_ident(&n)).collect::<Vec<_>>().into_iter()
    }
}

impl AccessBlock {
    /// `permit`, `forbid`, `access`, `permissions` or `visible`.
    pub fn keyword(&self) -> Option<SyntaxToken> {
        keyword_token(&self.0)
    }
    /// Its rules.
    pub fn rules(&self) -> impl Iterator<Item = AccessRule> + use<> {
        block_lines(&self.0).filter_map(AccessRule::cast)
    }
}

impl AccessRule {
    /// The operation (`read`, …) or, in `visible:`, `when`.
    pub fn operation(&self) -> Option<SyntaxToken> {
        keyword_token(&self.0)
    }
    /// The rule's condition or short form.
    pub fn condition(&self) -> Option<Condition> {
        self.0.children().find_map(Condition::cast)
    }
}

impl ScopeBlock {
    /// Its rules.
    pub fn rules(&self) -> impl Iterator<Item = ScopeRule> + use<> {
        block_lines(&self.0).filter_map(ScopeRule::cast)
    }
}

impl ScopeRule {
    /// The operation.
    pub fn operation(&self) -> Option<SyntaxToken> {
        keyword_token(&self.0)
    }
    /// The row filter.
    pub fn condition(&self) -> Option<Condition> {
        self.0.children().find_map(Condition::cast)
    }
    /// The `as:` line.
    pub fn as_clause(&self) -> Option<AsClause> {
        block_lines(&self.0).find_map(AsClause::cast)
    }
}

impl AsClause {
    /// Whether it is `as: *`.
    pub fn is_wildcard(&self) -> bool {
        token(&self.0, SyntaxKind::STAR).is_some()
    }
    /// The personas listed.
    pub fn personas(&self) -> impl Iterator<Item = SyntaxToken> + use<> {
        child::<NameList>(&self.0).into_iter().flat_map(|l| l.names())
    }
}

impl AuditDecl {
    /// `all`, `true` or `false`, when written so.
    pub fn keyword_value(&self) -> Option<SyntaxToken> {
        self.0.children_with_tokens().filter_map(|e| e.into_token()).filter(|t| t.kind() == SyntaxKind::KEYWORD).nth(1)
    }
    /// The operations of `audit: [create, …]`.
    pub fn operations(&self) -> Option<NameList> {
        child(&self.0)
    }
}

impl RoleCheck {
    /// The persona named.
    pub fn persona(&self) -> Option<SyntaxToken> {
        ident_in(&self.0, SyntaxKind::NAME_REF)
    }
}

impl Comparison {
    /// The left-hand path.
    pub fn path(&self) -> Option<Path> {
        child(&self.0)
    }
}

impl Path {
    /// The segments of the path.
    pub fn segments(&self) -> impl Iterator<Item = SyntaxToken> + use<> {
        self.0.children().filter_map(|n| first_ident(&n)).collect::<Vec<_>>().into_iter()
    }
}

impl ViaExpr {
    /// The junction entity.
    pub fn junction(&self) -> Option<SyntaxToken> {
        ident_in(&self.0, SyntaxKind::NAME_REF)
    }
    /// Whether it is `not via`.
    pub fn is_negated(&self) -> bool {
        keyword_token(&self.0).is_some_and(|t| t.text() == "not")
    }
}

impl Classify {
    /// `Entity.field`
    pub fn target(&self) -> Option<Path> {
        child(&self.0)
    }
    /// The data class after `as`.
    pub fn class(&self) -> Option<SyntaxToken> {
        ident_in(&self.0, SyntaxKind::NAME_REF)
    }
}

impl UsesDecl {
    /// What is used: `entity`, `nav`, `service`, ….
    pub fn what(&self) -> Option<SyntaxToken> {
        self.0.children_with_tokens().filter_map(|e| e.into_token()).filter(|t| t.kind() == SyntaxKind::KEYWORD).nth(1)
    }
    /// The names used.
    pub fn names(&self) -> impl Iterator<Item = SyntaxToken> + use<> {
        child::<NameList>(&self.0).into_iter().flat_map(|l| l.names())
    }
}

impl AccessSpec {
    /// The personas of `persona(a, b)`.
    pub fn personas(&self) -> impl Iterator<Item = SyntaxToken> + use<> {
        child::<NameList>(&self.0).into_iter().flat_map(|l| l.names())
    }
}

impl GrantRelation {
    /// The relation's name.
    pub fn name(&self) -> Option<SyntaxToken> {
        ident_in(&self.0, SyntaxKind::NAME)
    }
}

impl SubBlock {
    /// The sub-block's name.
    pub fn name(&self) -> Option<SyntaxToken> {
        ident_in(&self.0, SyntaxKind::NAME)
    }
}
