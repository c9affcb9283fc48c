# A CRLF file ending inside an open string (no final line break): the kept item gets a plain
# LF, which the string cannot swallow as it would a CR.
module t.core

entity A "A":
    id: uuid pk

thing x "open