"""The Expo area: exhibitors and product launches, edited through the Expo services."""
