# Strings, comments, numbers, durations, constants (lexical level).
entity Sample "Sample \"quoted\" title":  # trailing comment
#             ^ punctuation.definition.string.begin.dazzle
#                     ^^ constant.character.escape.dazzle
#                                         ^^^^^^^^^^^^^^^^^^ comment.line.number-sign.dazzle
  code: str(10) = 'A-1'
#                 ^^^^^ string.quoted.single.dazzle
  hash: str(20) = "not # a comment"
#                       ^ string.quoted.double.dazzle !comment
  greeting: str(80) = "Hello {name}, {{user.name}}"
#                            ^^^^^^ variable.other.placeholder.dazzle
  ratio: float = 1.5
#                ^^^ constant.numeric.dazzle
  version: str(10) = 1.2.3
  flag: bool = true
#              ^^^^ constant.language.boolean.dazzle
  parent: ref Sample
  café_naïve: str(10)
# ^^^^^^^^^^ variable.other.field.dazzle
  invariant: ratio != null
#                     ^^^^ constant.language.null.dazzle

# No triple-quoted strings in Dazzle: """doc""" is three strings.
process long_running "Long running":
  """Docstring"""
  description: "A string
spanning two lines"
  timeout: 30d
#          ^^^ constant.numeric.duration.dazzle
  retry_after: 5min 2w 3y 24h 1m
  grace: 30s
#        ^^ constant.numeric.dazzle

schedule nightly:
  cron: "0 2 * * *"
  timezone: 'Europe/Berlin'

  # indented comment with keywords: entity permit scope
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.dazzle
