# Trailing white space goes, on content and comment lines alike.   
module shop.core   

entity Order "Order":  
  id: uuid pk	
  # a comment with trailing blanks    
  total: int   # and a trailing comment   
