// Parse an iCalendar file from stdin with Mozilla's ical.js (the parser Thunderbird uses) and
// print what a calendar client would show, as JSON, for tests/calendar to compare with the
// database. Times are resolved through the feed's own VTIMEZONE and printed in UTC.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");

const calendar = new ICAL.Component(ICAL.parse(text));
const property = (component, name) => component.getFirstPropertyValue(name);
const asText = (value) => (value === null || value === undefined ? null : String(value));

const instant = (time) => ({
  utc: time.toJSDate().toISOString(),
  tzid: time.zone ? time.zone.tzid : null,
});

const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  const start = instant(event.startDate);
  const end = instant(event.endDate);
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    location: event.location,
    url: asText(property(component, "url")),
    start: start.utc,
    end: end.utc,
    start_tzid: start.tzid,
    end_tzid: end.tzid,
    status: asText(property(component, "status")),
    sequence: event.sequence,
    dtstamp: property(component, "dtstamp").toJSDate().toISOString(),
    categories: component
      .getAllProperties("categories")
      .flatMap((categories) => categories.getValues().map(String)),
  };
});

console.log(
  JSON.stringify({
    name: asText(property(calendar, "x-wr-calname")),
    timezone: asText(property(calendar, "x-wr-timezone")),
    method: asText(property(calendar, "method")),
    refresh_interval: asText(property(calendar, "refresh-interval")),
    timezones: calendar
      .getAllSubcomponents("vtimezone")
      .map((zone) => property(zone, "tzid")),
    events,
  }),
);
