print("backchannel")
