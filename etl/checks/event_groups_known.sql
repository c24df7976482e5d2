-- Every event group used is one of the reviewed list.
SELECT DISTINCT event_group FROM model.pt_names
WHERE event_group NOT IN (SELECT event_group FROM ref.event_group_list);
