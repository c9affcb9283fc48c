" The access changes shown by :DazzleDiff.
if exists('b:current_syntax')
  finish
endif
syn match dazzleDiffSummary "\%1l.*"
syn match dazzleDiffWidened "^+ .*"
syn match dazzleDiffNarrowed "^- .*"
syn match dazzleDiffChanged "^\~ .*"
syn match dazzleDiffSignOff "requires sign-off (sensitive)" containedin=dazzleDiffWidened
hi def link dazzleDiffSummary Title
hi def link dazzleDiffWidened DiagnosticWarn
hi def link dazzleDiffNarrowed DiagnosticInfo
hi def link dazzleDiffChanged DiagnosticHint
hi def link dazzleDiffSignOff DiagnosticError
let b:current_syntax = 'dazzlediff'
