DROP TABLE live_events;
DROP TABLE live_event_heads;
