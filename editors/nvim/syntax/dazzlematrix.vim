" The table shown by :DazzleMatrix.
if exists('b:current_syntax')
  finish
endif
syn match dazzleMatrixSep "|"
syn match dazzleMatrixRule "^|[-|]\+|$"
syn match dazzleMatrixHeader "\%1l[^|]\+"
syn keyword dazzleMatrixPermit PERMIT
syn keyword dazzleMatrixScoped PERMIT_SCOPED PERMIT_FILTERED
syn keyword dazzleMatrixNoScope PERMIT_NO_SCOPE PERMIT_UNPROTECTED
syn keyword dazzleMatrixDeny DENY
syn match dazzleMatrixWarnings "^Warnings (\d\+):$"
hi def link dazzleMatrixSep Delimiter
hi def link dazzleMatrixRule Delimiter
hi def link dazzleMatrixHeader Title
hi def link dazzleMatrixPermit DiagnosticOk
hi def link dazzleMatrixScoped DiagnosticInfo
hi def link dazzleMatrixNoScope DiagnosticWarn
hi def link dazzleMatrixDeny Comment
hi def link dazzleMatrixWarnings DiagnosticWarn
let b:current_syntax = 'dazzlematrix'
