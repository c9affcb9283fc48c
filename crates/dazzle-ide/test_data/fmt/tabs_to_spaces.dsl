module shop.core

app shop "Shop":
    security_profile: standard

entity Order "Order":
	id: uuid pk
	total: decimal(10,2)
	permit:
		read: role(admin)
	scope:
		read: all
			as: admin
