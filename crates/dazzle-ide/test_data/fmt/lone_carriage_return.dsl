# A lone carriage return (line 4) is not a line break for Dazzle: the file is left as it is.
module t.core
entity A "A":
    id: uuid pk    name: str(10)
