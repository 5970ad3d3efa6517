"""Integration-event contracts: the only code Paizhu's services share."""
