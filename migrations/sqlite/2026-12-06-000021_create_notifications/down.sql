DROP TABLE webhook_endpoints;
DROP TABLE notification_preferences;
DROP TABLE notification_deliveries;
DROP TABLE notification_inbox;
DROP TABLE notifications;
DROP TABLE alert_settings;
