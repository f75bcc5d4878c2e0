DROP TABLE forecast_detections;
DROP TABLE recurring_series;
