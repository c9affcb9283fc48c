" Basic highlighting for the Dazzle DSL; dazzle-lsp adds semantic tokens on top.
if exists('b:current_syntax')
  finish
endif
syn match dazzleComment "#.*$" contains=@Spell
syn region dazzleString start=+"+ skip=+\\\\\|\\"+ end=+"+ oneline
syn match dazzleNumber "\<\d\+\(\.\d\+\)\=\>"
syn keyword dazzleConstruct module use app entity persona surface workspace policies tenancy
syn keyword dazzleConstruct experience process service integration foreign_model story rule
syn keyword dazzleBlock permit scope forbid audit transitions section access
syn keyword dazzleOperator and or not as in
syn keyword dazzleConstant true false all authenticated current_user
syn match dazzleKey "^\s*\zs\h\w*\ze\s*:"
hi def link dazzleComment Comment
hi def link dazzleString String
hi def link dazzleNumber Number
hi def link dazzleConstruct Keyword
hi def link dazzleBlock Statement
hi def link dazzleOperator Operator
hi def link dazzleConstant Constant
hi def link dazzleKey Identifier
let b:current_syntax = 'dazzle'
