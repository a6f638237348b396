"""Operating the portal: backups and their restore, the workers' heartbeat, the versions a deployment runs."""
