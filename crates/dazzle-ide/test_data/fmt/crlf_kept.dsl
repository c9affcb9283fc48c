module shop.core


entity Order "Order":   
  id:uuid pk
  permit:
    read: role(admin)
