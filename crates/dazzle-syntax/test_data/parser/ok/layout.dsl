module layout.checks
# Tabs count four columns, mixed indentation is summed, comment lines are blank lines.

entity Tabbed:
	id: uuid pk
	name: str(50)
  # a comment at an odd indentation is ignored

	note: text

entity Mixed:
  	id: uuid pk
      title: str(10)

entity Strings "Multi
line title":
  motto: str(100) = 'it\'s'
  tagline: str(100) = "say \"hi\"\n"
