"""The Light of Internet Expo: exhibitors and their product launches."""
