using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LeadTools.Core.Records;

namespace LeadTools.Core.Matching
{
    /// <summary>What lead capture did with a submission.</summary>
    public enum CaptureAction
    {
        /// <summary>An existing lead matched: the submission updated it.</summary>
        UpdatedLead,
        /// <summary>No lead but a contact matched: a new lead was made, linked to the contact.</summary>
        LinkedToContact,
        /// <summary>Nothing matched: a new lead was made.</summary>
        CreatedLead,
    }

    /// <summary>The decision for one submission.</summary>
    public sealed class CaptureOutcome
    {
        internal CaptureOutcome(CaptureAction action, CrmRecord lead, CrmRecord? matched, MatchResult? match, IReadOnlyList<string> updatedFields, string creditedToId, string reason)
        {
            Action = action;
            Lead = lead;
            Matched = matched;
            Match = match;
            UpdatedFields = updatedFields;
            CreditedToId = creditedToId;
            Reason = reason;
        }

        /// <summary>What was done.</summary>
        public CaptureAction Action { get; }
        /// <summary>The updated or new lead.</summary>
        public CrmRecord Lead { get; }
        /// <summary>The existing lead or contact that matched, if any.</summary>
        public CrmRecord? Matched { get; }
        /// <summary>The rule and score of the match, if any.</summary>
        public MatchResult? Match { get; }
        /// <summary>Fields the submission set on the lead (all of them for a new lead).</summary>
        public IReadOnlyList<string> UpdatedFields { get; }
        /// <summary>Who the interaction is credited to (lead scoring): the matched contact, else the lead.</summary>
        public string CreditedToId { get; }
        /// <summary>The decision in words.</summary>
        public string Reason { get; }
    }

    /// <summary>
    /// Lead capture with matching (SPEC 6.3): a submission (web form, event registration) is matched against the
    /// existing leads and contacts before anything is created. A matching lead is updated with the submission's
    /// non-blank values; else a matching contact gets a new lead linked to it (the contact lookup field) and the
    /// interaction is credited to the contact; only when nothing matches is a plain new lead made. Leads made or
    /// updated in a run are matched by the later submissions of the same run.
    /// </summary>
    public sealed class LeadCapture
    {
        private readonly MatchStrategy _strategy;
        private readonly DuplicateFinder _blocks;
        private readonly List<MatchKey> _existing = new List<MatchKey>();
        private readonly Dictionary<string, List<int>> _index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        private int _created;

        /// <summary>Creates lead capture with a strategy; <paramref name="contactField"/> is the lead's lookup to its contact.</summary>
        public LeadCapture(MatchStrategy strategy, string contactField = "ContactId")
        {
            _strategy = strategy;
            _blocks = new DuplicateFinder(strategy);
            ContactField = contactField;
        }

        /// <summary>The lead field that links a new lead to its matched contact.</summary>
        public string ContactField { get; }

        /// <summary>Adds an existing lead or contact (other object types are ignored).</summary>
        public void AddExisting(CrmRecord record)
        {
            if (!IsLead(record) && !IsContact(record)) return;
            Index(_strategy.Normalise(record));
        }

        private void Index(MatchKey key)
        {
            var i = _existing.Count;
            _existing.Add(key);
            foreach (var b in _blocks.BlockKeys(key))
            {
                if (!_index.TryGetValue(b, out var list)) _index[b] = list = new List<int>(2);
                list.Add(i);
            }
        }

        private static bool IsLead(CrmRecord r) => ObjectTypes.SameType(r.ObjectType, "Lead");
        private static bool IsContact(CrmRecord r) => ObjectTypes.SameType(r.ObjectType, "Contact");

        /// <summary>Applies the strategy to a submission and decides (the records given are not changed; the outcome holds copies).</summary>
        public CaptureOutcome Capture(CrmRecord submission)
        {
            var key = _strategy.Normalise(submission);
            var scratch = _strategy.CreateScratch();
            var seen = new HashSet<int>();
            (int Index, MatchResult Match)? bestLead = null, bestContact = null;
            foreach (var b in _blocks.BlockKeys(key))
            {
                if (!_index.TryGetValue(b, out var list)) continue;
                foreach (var i in list)
                {
                    if (!seen.Add(i)) continue;
                    var m = _strategy.Match(key, _existing[i], scratch);
                    if (m == null) continue;
                    var r = _existing[i].Record;
                    if (IsLead(r) && (bestLead == null || m.Score > bestLead.Value.Match.Score)) bestLead = (i, m);
                    else if (IsContact(r) && (bestContact == null || m.Score > bestContact.Value.Match.Score)) bestContact = (i, m);
                }
            }

            if (bestLead != null)
            {
                var (i, m) = bestLead.Value;
                var existing = _existing[i].Record;
                var lead = Copy(existing);
                var updated = new List<string>();
                foreach (var kv in submission)
                {
                    if (IsIdentityField(kv.Key) || IsBlank(kv.Value)) continue;
                    // The same value in another case or with stray spaces (BOB@X.COM) is not a change.
                    if (string.Equals(RecordValue.ToText(lead[kv.Key])?.Trim(), RecordValue.ToText(kv.Value)?.Trim(), StringComparison.OrdinalIgnoreCase)) continue;
                    // A name the lead already has is kept: the match said they are the same person (Bob does not rename Robert).
                    if (IsNameField(kv.Key) && !IsBlank(lead[kv.Key])) continue;
                    lead.Set(kv.Key, kv.Value);
                    updated.Add(kv.Key);
                }
                var contactId = lead.GetString(ContactField);
                var credited = string.IsNullOrEmpty(contactId) ? lead.Id ?? string.Empty : contactId!;
                var reason = $"Lead {existing.Id} matched by rule {m.Rule} (score {Format(m.Score)}): the submission updated it"
                    + (updated.Count == 0 ? " (no field changed)." : ": " + string.Join(", ", updated) + ".")
                    + (bestContact != null ? $" Contact {_existing[bestContact.Value.Index].Record.Id} matched too; the lead is updated first (SPEC 6.3 order)." : string.Empty)
                    + $" Interaction credited to {credited}.";
                Replace(i, lead);
                return new CaptureOutcome(CaptureAction.UpdatedLead, lead, existing, m, updated, credited, reason);
            }

            var fresh = NewLead(submission, out var fields);
            if (bestContact != null)
            {
                var (i, m) = bestContact.Value;
                var contact = _existing[i].Record;
                fresh.Set(ContactField, contact.Id);
                fields.Add(ContactField);
                Index(_strategy.Normalise(fresh));
                return new CaptureOutcome(CaptureAction.LinkedToContact, fresh, contact, m, fields, contact.Id ?? string.Empty,
                    $"No lead matched; contact {contact.Id} matched by rule {m.Rule} (score {Format(m.Score)}): new lead linked to it through {ContactField}; interaction credited to the contact.");
            }
            Index(_strategy.Normalise(fresh));
            return new CaptureOutcome(CaptureAction.CreatedLead, fresh, null, null, fields, fresh.Id ?? string.Empty,
                $"No lead or contact matched under {_strategy.Name}: new lead {fresh.Id}.");
        }

        private void Replace(int i, CrmRecord lead)
        {
            var key = _strategy.Normalise(lead);
            _existing[i] = key;
            foreach (var b in _blocks.BlockKeys(key))
            {
                if (!_index.TryGetValue(b, out var list)) _index[b] = list = new List<int>(2);
                if (!list.Contains(i)) list.Add(i);
            }
        }

        private CrmRecord NewLead(CrmRecord submission, out List<string> fields)
        {
            var lead = new CrmRecord("Lead", submission.Count + 2);
            fields = new List<string>();
            foreach (var kv in submission)
            {
                if (IsIdentityField(kv.Key) || IsBlank(kv.Value)) continue;
                lead.Add(kv.Key, kv.Value);
                fields.Add(kv.Key);
            }
            // A provisional id (key prefix 00Q, "LT", a run counter) so later submissions and the results can name it.
            _created++;
            lead.Set("Id", "00QLTnew" + _created.ToString("D10", CultureInfo.InvariantCulture));
            return lead;
        }

        private static CrmRecord Copy(CrmRecord r)
        {
            var c = new CrmRecord(r.ObjectType, r.Count + 4) { IdField = r.IdField };
            for (var i = 0; i < r.Count; i++) c.Add(r.NameAt(i), r.ValueAt(i));
            return c;
        }

        private bool IsNameField(string name) =>
            _strategy.FieldNames[MatchField.FirstName].Concat(_strategy.FieldNames[MatchField.LastName]).Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

        private static bool IsIdentityField(string name) =>
            string.Equals(name, "Id", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "attributes", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "ObjectType", StringComparison.OrdinalIgnoreCase);

        private static bool IsBlank(object? v) => string.IsNullOrWhiteSpace(RecordValue.ToText(v));

        private static string Format(double d) => Math.Round(d, 1).ToString("0.#", CultureInfo.InvariantCulture);
    }
}
