module t.core
app t "T"

# No personas: no columns, warnings still reported.
entity Note "Note":
  id: uuid pk
