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
        internal CaptureOutcome(CaptureAction action, CrmRecord lead, CrmRecord? matched, MatchResult? match, IReadOnlyList<string> updatedFields, string creditedToId, string reason,
            CrmRecord? linkedContact = null, IReadOnlyList<DataverseRequest>? requests = null, IReadOnlyList<string>? warnings = null)
        {
            LinkedContact = linkedContact;
            Requests = requests ?? Array.Empty<DataverseRequest>();
            Warnings = warnings ?? Array.Empty<string>();
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
        /// <summary>The contact the lead is linked to in this capture (a matched contact), if any.</summary>
        public CrmRecord? LinkedContact { get; }
        /// <summary>For Dataverse: the Web API request that applies the outcome (POST leads, or PATCH leads(id) with the changed fields; lookups as <c>@odata.bind</c>).</summary>
        public IReadOnlyList<DataverseRequest> Requests { get; }
        /// <summary>Problems that did not stop the capture (a lookup field whose table is unknown was left out of the request).</summary>
        public IReadOnlyList<string> Warnings { get; }
    }

    /// <summary>
    /// Lead capture with matching (SPEC 6.3, seed 004): a submission (web form, event registration) is matched against
    /// the existing leads and contacts before anything is created. A matching lead is updated with the submission's
    /// non-blank values, and linked to the matching contact when it had none; else a matching contact gets a new lead
    /// linked to it (the contact lookup field); the interaction is credited to the contact whenever one is known; only
    /// when nothing matches is a plain new lead made. Leads may be matched with their own strategy (Dynamics' lead
    /// matching strategy, e.g. email and topic, so a submission for another product makes another lead of the same
    /// contact) while contacts use the contact strategy. Leads made or updated in a run are matched by the later
    /// submissions of the same run.
    /// </summary>
    public sealed class LeadCapture
    {
        private sealed class Pool
        {
            public Pool(MatchStrategy strategy)
            {
                Strategy = strategy;
                Blocks = new DuplicateFinder(strategy);
            }

            public readonly MatchStrategy Strategy;
            public readonly DuplicateFinder Blocks;
            public readonly List<MatchKey> Keys = new List<MatchKey>();
            public readonly Dictionary<string, List<int>> Index = new Dictionary<string, List<int>>(StringComparer.Ordinal);

            public int Add(CrmRecord record)
            {
                var key = Strategy.Normalise(record);
                var i = Keys.Count;
                Keys.Add(key);
                foreach (var b in Blocks.BlockKeys(key))
                {
                    if (!Index.TryGetValue(b, out var list)) Index[b] = list = new List<int>(2);
                    list.Add(i);
                }
                return i;
            }

            public void Replace(int i, CrmRecord record)
            {
                var key = Strategy.Normalise(record);
                Keys[i] = key;
                foreach (var b in Blocks.BlockKeys(key))
                {
                    if (!Index.TryGetValue(b, out var list)) Index[b] = list = new List<int>(2);
                    if (!list.Contains(i)) list.Add(i);
                }
            }

            // The best-scoring match among the records sharing a block with the submission.
            public (int Index, MatchResult Match)? Best(CrmRecord submission)
            {
                if (Keys.Count == 0) return null;
                var key = Strategy.Normalise(submission);
                var scratch = Strategy.CreateScratch();
                var seen = new HashSet<int>();
                (int Index, MatchResult Match)? best = null;
                foreach (var b in Blocks.BlockKeys(key))
                {
                    if (!Index.TryGetValue(b, out var list)) continue;
                    foreach (var i in list)
                    {
                        if (!seen.Add(i)) continue;
                        var m = Strategy.Match(key, Keys[i], scratch);
                        if (m != null && (best == null || m.Score > best.Value.Match.Score)) best = (i, m);
                    }
                }
                return best;
            }
        }

        private readonly MatchStrategy _strategy;
        private readonly Pool _leads;
        private readonly Pool _contacts;
        private readonly Dictionary<string, int> _submissionCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        private int _created;

        /// <summary>
        /// Creates lead capture with a strategy; <paramref name="contactField"/> is the lead's lookup to its contact;
        /// <paramref name="leadStrategy"/> matches leads (default: <paramref name="strategy"/>, which matches contacts);
        /// with <paramref name="dataverse"/>, new leads get GUIDs and outcomes carry Web API requests.
        /// </summary>
        public LeadCapture(MatchStrategy strategy, string contactField = "ContactId", MatchStrategy? leadStrategy = null, bool dataverse = false)
        {
            _strategy = strategy;
            _contacts = new Pool(strategy);
            _leads = new Pool(leadStrategy ?? strategy);
            ContactField = contactField;
            Dataverse = dataverse;
        }

        /// <summary>The lead field that links a new lead to its matched contact.</summary>
        public string ContactField { get; }

        /// <summary>Records are Dataverse Web API records (GUIDs, <c>_x_value</c> lookups, request bodies).</summary>
        public bool Dataverse { get; }

        /// <summary>The strategy that matches leads.</summary>
        public MatchStrategy LeadStrategy => _leads.Strategy;

        /// <summary>Adds an existing lead or contact (other object types are ignored).</summary>
        public void AddExisting(CrmRecord record)
        {
            if (IsLead(record)) _leads.Add(record);
            else if (IsContact(record)) _contacts.Add(record);
        }

        private static bool IsLead(CrmRecord r) => ObjectTypes.SameType(r.ObjectType, "Lead");
        private static bool IsContact(CrmRecord r) => ObjectTypes.SameType(r.ObjectType, "Contact");

        /// <summary>Applies the strategy to a submission and decides (the records given are not changed; the outcome holds copies).</summary>
        public CaptureOutcome Capture(CrmRecord submission)
        {
            var bestLead = _leads.Best(submission);
            var bestContact = _contacts.Best(submission);
            var warnings = new List<string>();

            if (bestLead != null)
            {
                var (i, m) = bestLead.Value;
                var existing = _leads.Keys[i].Record;
                var lead = Copy(existing);
                var updated = new List<string>();
                foreach (var kv in submission)
                {
                    if (IsIdentityField(kv.Key) || IsBlank(kv.Value)) continue;
                    // The same value in another case or with stray spaces (BOB@X.COM) is not a change.
                    if (string.Equals(RecordValue.ToText(lead[kv.Key])?.Trim(), RecordValue.ToText(kv.Value)?.Trim(), StringComparison.OrdinalIgnoreCase)) continue;
                    // A name the lead already has is kept: the match said they are the same person (Bob does not rename Robert).
                    if (IsNameField(kv.Key) && !IsBlank(lead[kv.Key])) continue;
                    // The lead's existing contact link is kept (a submission does not move a lead to another contact).
                    if (IsContactLookup(kv.Key) && !string.IsNullOrWhiteSpace(DataverseWebApi.GetLookup(existing, ContactField))) continue;
                    lead.Set(kv.Key, kv.Value);
                    updated.Add(kv.Key);
                }
                var contactId = DataverseWebApi.GetLookup(lead, ContactField);
                CrmRecord? linked = null;
                string link;
                if (string.IsNullOrWhiteSpace(contactId) && bestContact != null)
                {
                    // Seed 004: "New leads can be associated with existing contacts when they are available" and "the new
                    // interaction is still recorded and credited to the correct contact": an unlinked lead that matches is
                    // linked to the matching contact too, and the contact gets the credit.
                    linked = _contacts.Keys[bestContact.Value.Index].Record;
                    DataverseWebApi.SetLookup(lead, ContactField, linked.Id!, Dataverse);
                    updated.Add(ContactField);
                    contactId = linked.Id;
                    link = $" The lead had no contact; contact {linked.Id} matched by rule {bestContact.Value.Match.Rule} (score {Format(bestContact.Value.Match.Score)}): {ContactField} set.";
                }
                else if (bestContact != null && !string.Equals(contactId, _contacts.Keys[bestContact.Value.Index].Record.Id, StringComparison.OrdinalIgnoreCase))
                {
                    link = $" Contact {_contacts.Keys[bestContact.Value.Index].Record.Id} matched too, but the lead is already linked to contact {contactId}; the link is kept.";
                }
                else link = string.Empty;
                var credited = string.IsNullOrEmpty(contactId) ? lead.Id ?? string.Empty : contactId!;
                var reason = $"Lead {existing.Id} matched by rule {m.Rule} (score {Format(m.Score)}): the submission updated it"
                    + (updated.Count == 0 ? " (no field changed)." : ": " + string.Join(", ", updated) + ".")
                    + link
                    + $" Interaction credited to {(string.IsNullOrEmpty(contactId) ? "the lead" : "contact")} {credited}.";
                _leads.Replace(i, lead);
                IReadOnlyList<DataverseRequest>? requests = null;
                if (Dataverse && updated.Count > 0 && string.IsNullOrWhiteSpace(lead.Id))
                {
                    warnings.Add("The matched lead has no id (leadid): its update cannot be sent as a Web API request.");
                }
                else if (Dataverse && updated.Count > 0)
                {
                    var changed = updated.Select(f => new KeyValuePair<string, object?>(ActualName(lead, f), lead[ActualName(lead, f)]));
                    var untranslated = new List<string>();
                    var body = DataverseWebApi.Body(changed, lead, untranslated, ContactField);
                    foreach (var u in untranslated) warnings.Add($"Lead {lead.Id}: lookup {u} was left out of the request: its table is unknown (export it with the lookuplogicalname annotation, or set it with @odata.bind).");
                    requests = new[] { DataverseRequest.Update("lead", lead.Id ?? string.Empty, body, existing.GetString("@odata.etag")) };
                }
                return new CaptureOutcome(CaptureAction.UpdatedLead, lead, existing, m, updated, credited, reason, linked, requests, warnings);
            }

            var fresh = NewLead(submission, out var fields);
            if (bestContact != null)
            {
                var (i, m) = bestContact.Value;
                var contact = _contacts.Keys[i].Record;
                DataverseWebApi.SetLookup(fresh, ContactField, contact.Id!, Dataverse);
                fields.Add(ContactField);
                _leads.Add(fresh);
                return new CaptureOutcome(CaptureAction.LinkedToContact, fresh, contact, m, fields, contact.Id ?? string.Empty,
                    $"No lead matched under {_leads.Strategy.Name}; contact {contact.Id} matched by rule {m.Rule} (score {Format(m.Score)}): new lead {fresh.Id} linked to it through {ContactField}; interaction credited to the contact.",
                    contact, CreateRequests(fresh, warnings), warnings);
            }
            _leads.Add(fresh);
            return new CaptureOutcome(CaptureAction.CreatedLead, fresh, null, null, fields, fresh.Id ?? string.Empty,
                $"No lead or contact matched under {_leads.Strategy.Name}{(ReferenceEquals(_leads.Strategy, _strategy) ? string.Empty : " / " + _strategy.Name)}: new lead {fresh.Id}.",
                null, CreateRequests(fresh, warnings), warnings);
        }

        private IReadOnlyList<DataverseRequest>? CreateRequests(CrmRecord fresh, List<string> warnings)
        {
            if (!Dataverse) return null;
            var untranslated = new List<string>();
            var body = DataverseWebApi.Body(fresh, fresh, untranslated, ContactField);
            foreach (var u in untranslated) warnings.Add($"New lead {fresh.Id}: lookup {u} was left out of the request: its table is unknown.");
            return new[] { DataverseRequest.Create("lead", body) };
        }

        private static string ActualName(CrmRecord r, string name)
        {
            var i = r.IndexOf(name);
            if (i >= 0) return r.NameAt(i);
            var v = r.IndexOf(DataverseWebApi.ValueName(name));
            return v >= 0 ? r.NameAt(v) : name;
        }

        private bool IsContactLookup(string name) =>
            string.Equals(DataverseWebApi.LogicalName(name), DataverseWebApi.LogicalName(ContactField), StringComparison.OrdinalIgnoreCase);

        private CrmRecord NewLead(CrmRecord submission, out List<string> fields)
        {
            var lead = new CrmRecord(Dataverse ? "lead" : "Lead", submission.Count + 2);
            fields = new List<string>();
            foreach (var kv in submission)
            {
                if (IsIdentityField(kv.Key) || IsBlank(kv.Value)) continue;
                lead.Add(kv.Key, kv.Value);
                fields.Add(kv.Key);
            }
            _created++;
            if (Dataverse)
            {
                // A GUID named after the submission's content (and how often that content came in this run): a re-run of
                // the same submissions makes the same lead ids, so posting them twice fails on the key instead of
                // creating duplicate leads. No Salesforce-style provisional id for a Dataverse record.
                var content = string.Join("\u001f", fields.Select(f => f.ToLowerInvariant() + "=" + RecordValue.ToText(lead[f])));
                _submissionCounts.TryGetValue(content, out var n);
                _submissionCounts[content] = ++n;
                lead.IdField = "leadid";
                lead.Insert(0, "leadid", DataverseWebApi.NameBasedGuid("captured lead " + n.ToString(CultureInfo.InvariantCulture) + " " + content).ToString());
            }
            else
            {
                // A provisional id (key prefix 00Q, "LT", a run counter) so later submissions and the results can name it.
                lead.Set("Id", "00QLTnew" + _created.ToString("D10", CultureInfo.InvariantCulture));
            }
            return lead;
        }

        private static CrmRecord Copy(CrmRecord r)
        {
            var c = new CrmRecord(r.ObjectType, r.Count + 4) { IdField = r.IdField };
            for (var i = 0; i < r.Count; i++) c.Add(r.NameAt(i), r.ValueAt(i));
            return c;
        }

        private bool IsNameField(string name) =>
            _leads.Strategy.FieldNames[MatchField.FirstName].Concat(_leads.Strategy.FieldNames[MatchField.LastName]).Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

        private static bool IsIdentityField(string name) =>
            string.Equals(name, "Id", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "attributes", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "ObjectType", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "leadid", StringComparison.OrdinalIgnoreCase)
            || DataverseWebApi.IsAnnotation(name);

        private static bool IsBlank(object? v) => string.IsNullOrWhiteSpace(RecordValue.ToText(v));

        private static string Format(double d) => Math.Round(d, 1).ToString("0.#", CultureInfo.InvariantCulture);
    }
}
