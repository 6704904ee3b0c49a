using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LeadTools.Core.Records;

namespace LeadTools.Core.Tags
{
    /// <summary>How an ActiveCampaign contact syncs with Salesforce.</summary>
    public enum SyncMode
    {
        /// <summary>As a person account.</summary>
        PersonAccount,
        /// <summary>As a contact with an account.</summary>
        Contact,
        /// <summary>Not synced.</summary>
        NotSynced,
    }

    /// <summary>One ActiveCampaign API operation for a runbook to send.</summary>
    public sealed class TagOperation
    {
        internal TagOperation(string action, string contactId, string? contactTagId, string? tagId, string tagName)
        {
            Action = action;
            ContactId = contactId;
            ContactTagId = contactTagId;
            TagId = tagId;
            TagName = tagName;
        }

        /// <summary>DeleteContactTag (DELETE /api/3/contactTags/{id}) or AddContactTag (POST /api/3/contactTags).</summary>
        public string Action { get; }
        /// <summary>The ActiveCampaign contact.</summary>
        public string ContactId { get; }
        /// <summary>The contactTag link to delete.</summary>
        public string? ContactTagId { get; }
        /// <summary>The tag (its id, when the tag exists in ActiveCampaign).</summary>
        public string? TagId { get; }
        /// <summary>The tag name.</summary>
        public string TagName { get; }

        /// <summary>As a record, for export.</summary>
        public CrmRecord ToRecord()
        {
            var r = new CrmRecord("contactTagOperation");
            r.Add("action", Action);
            r.Add("contact", ContactId);
            r.Add("contactTag", ContactTagId);
            r.Add("tag", TagId);
            r.Add("tagName", TagName);
            return r;
        }
    }

    /// <summary>The decision for one ActiveCampaign contact.</summary>
    public sealed class TagDecision
    {
        internal TagDecision(string contactId, string? email) { ContactId = contactId; Email = email; }

        /// <summary>The ActiveCampaign contact id.</summary>
        public string ContactId { get; }
        /// <summary>Its email.</summary>
        public string? Email { get; }
        /// <summary>How it syncs.</summary>
        public SyncMode SyncMode { get; internal set; }
        /// <summary>True when it carries both person-account and contact tags.</summary>
        public bool Conflict { get; internal set; }
        /// <summary>Its person-account tags.</summary>
        public List<string> PersonAccountTags { get; } = new List<string>();
        /// <summary>Its contact tags.</summary>
        public List<string> ContactTags { get; } = new List<string>();
        /// <summary>Tags to remove.</summary>
        public List<string> TagsToRemove { get; } = new List<string>();
        /// <summary>Tags to add.</summary>
        public List<string> TagsToAdd { get; } = new List<string>();
        /// <summary>The API operations.</summary>
        public List<TagOperation> Operations { get; } = new List<TagOperation>();
        /// <summary>The person account to create in Salesforce (requested by the request tag), if any.</summary>
        public CrmRecord? PersonAccountToCreate { get; internal set; }
        /// <summary>Fields to update on the matched existing person account (by the update policies), if any.</summary>
        public CrmRecord? PersonAccountUpdate { get; internal set; }
        /// <summary>Why, in words.</summary>
        public string Reason { get; internal set; } = string.Empty;
    }

    /// <summary>Whether a Salesforce person account syncs out to ActiveCampaign.</summary>
    public sealed class OutboundDecision
    {
        internal OutboundDecision(string accountId, bool selected, string? matchedContactId, string reason)
        {
            AccountId = accountId;
            Selected = selected;
            MatchedContactId = matchedContactId;
            Reason = reason;
        }

        /// <summary>The person account.</summary>
        public string AccountId { get; }
        /// <summary>True when the outbound option selects it.</summary>
        public bool Selected { get; }
        /// <summary>The ActiveCampaign contact it matches (by email), if any.</summary>
        public string? MatchedContactId { get; }
        /// <summary>Why.</summary>
        public string Reason { get; }
    }

    /// <summary>
    /// Person-account versus contact tag reconciliation for ActiveCampaign (SPEC 8): person-account tags are the source
    /// of truth and contact tags on such contacts are removed (the cleanup automation of seed 002); the request tag asks
    /// for a person account in Salesforce; existing person accounts get updates by the mapping's policies; the outbound
    /// option selects which Salesforce person accounts sync out.
    /// </summary>
    public sealed class TagReconciler
    {
        private readonly TagConfig _config;
        private readonly Dictionary<string, CrmRecord> _tagsById = new Dictionary<string, CrmRecord>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _tagIdByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<CrmRecord>> _linksByContact = new Dictionary<string, List<CrmRecord>>(StringComparer.Ordinal);
        private readonly List<CrmRecord> _contacts = new List<CrmRecord>();
        private readonly Dictionary<string, CrmRecord> _personAccountsByEmail = new Dictionary<string, CrmRecord>(StringComparer.OrdinalIgnoreCase);
        private readonly List<CrmRecord> _personAccounts = new List<CrmRecord>();

        /// <summary>Creates a reconciler.</summary>
        public TagReconciler(TagConfig config) => _config = config;

        /// <summary>
        /// Takes a record: ActiveCampaign contacts, tags and contactTags (from Import-CrmRecord of the v3 API JSON),
        /// and Salesforce person accounts (Account with IsPersonAccount true).
        /// </summary>
        public void Add(CrmRecord record)
        {
            var type = record.ObjectType ?? string.Empty;
            if (ObjectTypes.SameType(type, "contactTag"))
            {
                var contact = record.GetString("contact");
                if (contact == null) return;
                if (!_linksByContact.TryGetValue(contact, out var list)) _linksByContact[contact] = list = new List<CrmRecord>();
                list.Add(record);
            }
            else if (ObjectTypes.SameType(type, "tag"))
            {
                if (record.Id == null) return;
                _tagsById[record.Id] = record;
                var name = record.GetString("tag");
                if (name != null && !_tagIdByName.ContainsKey(name)) _tagIdByName[name] = record.Id;
            }
            else if (ObjectTypes.SameType(type, "contact") && record.Names.Contains("email", StringComparer.Ordinal))
            {
                // ActiveCampaign contacts (lower-case API fields); Salesforce contacts have Email and are not tag-synced here.
                _contacts.Add(record);
            }
            else if (ObjectTypes.SameType(type, "Account") && IsTrue(record["IsPersonAccount"]))
            {
                _personAccounts.Add(record);
                var email = record.GetString("PersonEmail");
                if (!string.IsNullOrWhiteSpace(email) && !_personAccountsByEmail.ContainsKey(email!.Trim())) _personAccountsByEmail[email.Trim()] = record;
            }
        }

        /// <summary>The decision for every ActiveCampaign contact, in input order.</summary>
        public IEnumerable<TagDecision> Decide()
        {
            foreach (var contact in _contacts)
            {
                var id = contact.Id ?? string.Empty;
                var email = contact.GetString("email");
                var d = new TagDecision(id, email);
                var links = _linksByContact.TryGetValue(id, out var l) ? l : new List<CrmRecord>();
                var tagOf = new List<(CrmRecord Link, string Name)>();
                foreach (var link in links)
                {
                    var tagId = link.GetString("tag");
                    var name = tagId != null && _tagsById.TryGetValue(tagId, out var tag) ? tag.GetString("tag") : null;
                    if (name != null) tagOf.Add((link, name));
                }
                foreach (var (_, name) in tagOf)
                {
                    if (_config.PersonAccountTags.Contains(name, StringComparer.OrdinalIgnoreCase)) d.PersonAccountTags.Add(name);
                    else if (_config.ContactTags.Contains(name, StringComparer.OrdinalIgnoreCase)) d.ContactTags.Add(name);
                }
                var match = email != null && _personAccountsByEmail.TryGetValue(email.Trim(), out var pa) ? pa : null;
                var reasons = new List<string>();
                if (d.PersonAccountTags.Count > 0)
                {
                    d.SyncMode = SyncMode.PersonAccount;
                    if (d.ContactTags.Count > 0)
                    {
                        d.Conflict = true;
                        reasons.Add($"It has person-account tags ({string.Join(", ", d.PersonAccountTags)}) and contact tags ({string.Join(", ", d.ContactTags)}): person-account tags are the source of truth, so it syncs as a person account and its contact tags are removed.");
                        foreach (var (link, name) in tagOf.Where(t => d.ContactTags.Contains(t.Name, StringComparer.OrdinalIgnoreCase)))
                        {
                            d.TagsToRemove.Add(name);
                            d.Operations.Add(new TagOperation("DeleteContactTag", id, link.Id, link.GetString("tag"), name));
                        }
                    }
                    else
                    {
                        reasons.Add($"It has person-account tags ({string.Join(", ", d.PersonAccountTags)}): it syncs as a person account.");
                    }
                    if (d.PersonAccountTags.Contains(_config.CreateRequestTag, StringComparer.OrdinalIgnoreCase))
                    {
                        if (match == null)
                        {
                            d.PersonAccountToCreate = NewPersonAccount(contact);
                            reasons.Add($"'{_config.CreateRequestTag}' requests a person account in Salesforce, and none with email {email ?? "(none)"} exists: one is to be created{(_config.DefaultRecordTypeId != null ? " with record type " + _config.DefaultRecordTypeId : string.Empty)}.");
                        }
                        else
                        {
                            reasons.Add($"'{_config.CreateRequestTag}' is set and person account {match.Id} with the same email already exists: nothing is created.");
                        }
                    }
                }
                else if (d.ContactTags.Count > 0)
                {
                    d.SyncMode = SyncMode.Contact;
                    reasons.Add($"It has only contact tags ({string.Join(", ", d.ContactTags)}): it syncs as a contact with an account.");
                }
                else
                {
                    d.SyncMode = SyncMode.NotSynced;
                    reasons.Add("It has no sync tags: it is not synced.");
                }
                if (match != null && d.SyncMode != SyncMode.Contact)
                {
                    if (d.PersonAccountTags.Count == 0)
                    {
                        // A Salesforce person account with this email exists and the outbound option selects it: the integration tags it.
                        var outbound = Outbound(match, id);
                        if (outbound.Selected)
                        {
                            d.SyncMode = SyncMode.PersonAccount;
                            d.TagsToAdd.Add(_config.FromSalesforceTag);
                            d.Operations.Add(new TagOperation("AddContactTag", id, null, _tagIdByName.TryGetValue(_config.FromSalesforceTag, out var tid) ? tid : null, _config.FromSalesforceTag));
                            reasons.Add($"Person account {match.Id} has the same email and the outbound option selects it ({outbound.Reason}): it syncs as a person account and gets '{_config.FromSalesforceTag}'.");
                        }
                    }
                    if (d.SyncMode == SyncMode.PersonAccount) d.PersonAccountUpdate = Update(contact, match, reasons);
                }
                d.Reason = string.Join(" ", reasons);
                yield return d;
            }
        }

        /// <summary>The outbound decision for every Salesforce person account given.</summary>
        public IEnumerable<OutboundDecision> OutboundDecisions()
        {
            var byEmail = _contacts.Where(c => c.GetString("email") != null).GroupBy(c => c.GetString("email")!.Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            foreach (var pa in _personAccounts)
            {
                var email = pa.GetString("PersonEmail")?.Trim();
                var contact = email != null && byEmail.TryGetValue(email, out var c) ? c : null;
                yield return Outbound(pa, contact?.Id);
            }
        }

        private OutboundDecision Outbound(CrmRecord pa, string? contactId)
        {
            var id = pa.Id ?? string.Empty;
            switch (_config.Outbound)
            {
                case OutboundMode.CreatedOrUpdatedSince:
                    var since = _config.OutboundSince!.Value;
                    var latest = new[] { pa.GetString("CreatedDate"), pa.GetString("LastModifiedDate") }
                        .Select(s => s != null && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTime?)null)
                        .Where(t => t.HasValue).Select(t => t!.Value).DefaultIfEmpty(DateTime.MinValue).Max();
                    var selected = latest >= since;
                    return new OutboundDecision(id, selected, contactId, selected
                        ? $"created or updated {latest:yyyy-MM-dd HH:mm} UTC, on or after {since:yyyy-MM-dd HH:mm} UTC"
                        : latest == DateTime.MinValue ? "it has no CreatedDate or LastModifiedDate" : $"last created or updated {latest:yyyy-MM-dd HH:mm} UTC, before {since:yyyy-MM-dd HH:mm} UTC");
                case OutboundMode.Flagged:
                    var value = pa.GetString(_config.OutboundField!);
                    var flagged = string.Equals(value, _config.OutboundValue, StringComparison.OrdinalIgnoreCase);
                    return new OutboundDecision(id, flagged, contactId, flagged ? $"{_config.OutboundField} is {value}" : $"{_config.OutboundField} is {value ?? "blank"}, not {_config.OutboundValue}");
                default:
                    return new OutboundDecision(id, false, contactId, "the outbound option is None");
            }
        }

        private CrmRecord NewPersonAccount(CrmRecord contact)
        {
            var account = new CrmRecord("Account");
            if (_config.DefaultRecordTypeId != null) account.Add("RecordTypeId", _config.DefaultRecordTypeId);
            account.Add("IsPersonAccount", true);
            foreach (var m in _config.FieldMapping)
            {
                if (m.Policy == UpdatePolicy.Never) continue;
                var v = contact[m.From];
                if (!RecordValue.IsBlank(v)) account.Set(m.To, v);
            }
            if (!account.Has("LastName")) account.Set("LastName", contact.GetString("lastName") ?? contact.GetString("email") ?? "(unknown)");
            account.Add("ActiveCampaign_Contact_Id__c", contact.Id);
            return account;
        }

        private CrmRecord? Update(CrmRecord contact, CrmRecord pa, List<string> reasons)
        {
            var update = new CrmRecord("Account");
            update.Add("Id", pa.Id);
            var changed = new List<string>();
            foreach (var m in _config.FieldMapping)
            {
                var v = contact[m.From];
                if (RecordValue.IsBlank(v)) continue;
                var current = pa[m.To];
                var write = m.Policy switch
                {
                    UpdatePolicy.AlwaysUpdate => RecordValue.ToText(current) != RecordValue.ToText(v),
                    UpdatePolicy.UpdateIfBlank => RecordValue.IsBlank(current),
                    _ => false,
                };
                if (!write) continue;
                update.Add(m.To, v);
                changed.Add($"{m.To} ({m.Policy})");
            }
            if (changed.Count == 0) return null;
            reasons.Add($"Person account {pa.Id} gets {string.Join(", ", changed)} from ActiveCampaign.");
            return update;
        }

        private static bool IsTrue(object? value) => value switch
        {
            bool b => b,
            string s => string.Equals(s, "true", StringComparison.OrdinalIgnoreCase) || s == "1",
            _ => false,
        };
    }
}
