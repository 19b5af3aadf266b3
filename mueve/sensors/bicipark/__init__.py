"""i-BiciPark (Table 7 of the seed): a bicycle rack with weight sensors and an IP camera, which tells the owner's
phone and the building's security desk when a bicycle is being taken without its owner's unlock."""
