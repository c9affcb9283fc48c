# Strings are never touched: spacing, escapes, `#` and multi-line strings stay as written.
module shop.core

app shop "Shop":
  description:   "Two  spaces,  a # hash, an \"escape\" and a \\ backslash"

llm_intent triage "Triage":
  prompt: "Line one
      line two, indented   oddly
  line three"
  description:  "after"
