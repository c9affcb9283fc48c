#- dialect: 0.112
# The first non-blank line ends in CRLF, so every line written does; a majority count of
# the breaks (LF here) flipped on the second run once the blank lines had collapsed.
entity Broken "B":
  id: uuid pk
  total: decimal(10,




persona clerk "Clerk"
