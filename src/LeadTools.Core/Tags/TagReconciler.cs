using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LeadTools.Core.Records;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

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

    /// <summary>
    /// One ActiveCampaign API v3 operation for a runbook to send: a contactTag link to delete or add, a contact to update
    /// or to create. <see cref="Method"/>, <see cref="Path"/> and <see cref="Body"/> are the request itself.
    /// </summary>
    public sealed class TagOperation
    {
        internal TagOperation(string action, string? contactId, string? contactTagId, string? tagId, string? tagName, string? accountId = null, JObject? body = null)
        {
            Action = action;
            ContactId = contactId;
            ContactTagId = contactTagId;
            TagId = tagId;
            TagName = tagName;
            AccountId = accountId;
            switch (action)
            {
                case "DeleteContactTag":
                    Method = "DELETE";
                    Path = "/api/3/contactTags/" + contactTagId;
                    break;
                case "AddContactTag":
                    Method = "POST";
                    Path = "/api/3/contactTags";
                    // Without a tag id (the tag is not in the export) the runbook creates or looks up the tag first.
                    body ??= tagId == null ? null : new JObject { ["contactTag"] = new JObject { ["contact"] = contactId, ["tag"] = tagId } };
                    break;
                case "UpdateContact":
                    Method = "PUT";
                    Path = "/api/3/contacts/" + contactId;
                    break;
                case "CreateContact":
                    Method = "POST";
                    Path = "/api/3/contacts";
                    break;
                default:
                    Method = string.Empty;
                    Path = string.Empty;
                    break;
            }
            Body = body?.ToString(Formatting.None);
        }

        /// <summary>
        /// DeleteContactTag (DELETE /api/3/contactTags/{id}), AddContactTag (POST /api/3/contactTags), UpdateContact
        /// (PUT /api/3/contacts/{id}) or CreateContact (POST /api/3/contacts, then the tag named here on the new contact).
        /// </summary>
        public string Action { get; }
        /// <summary>The ActiveCampaign contact (null for CreateContact: the id comes from the create's response).</summary>
        public string? ContactId { get; }
        /// <summary>The contactTag link to delete.</summary>
        public string? ContactTagId { get; }
        /// <summary>The tag (its id, when the tag exists in ActiveCampaign).</summary>
        public string? TagId { get; }
        /// <summary>The tag name (for CreateContact: the tag to put on the new contact).</summary>
        public string? TagName { get; }
        /// <summary>The Salesforce person account the operation comes from (UpdateContact, CreateContact).</summary>
        public string? AccountId { get; }
        /// <summary>The HTTP method.</summary>
        public string Method { get; }
        /// <summary>The API path.</summary>
        public string Path { get; }
        /// <summary>The JSON request body (API v3), or null when the request has none.</summary>
        public string? Body { get; }

        /// <summary>As a record, for export.</summary>
        public CrmRecord ToRecord()
        {
            var r = new CrmRecord("contactTagOperation");
            r.Add("action", Action);
            r.Add("contact", ContactId);
            r.Add("contactTag", ContactTagId);
            r.Add("tag", TagId);
            r.Add("tagName", TagName);
            r.Add("account", AccountId);
            r.Add("method", Method);
            r.Add("path", Path);
            r.Add("body", Body);
            return r;
        }
    }

    /// <summary>
    /// The decision for one ActiveCampaign contact, or for one to be created from a selected Salesforce person account
    /// (then <see cref="ContactId"/> is null and <see cref="ContactToCreate"/> is set).
    /// </summary>
    public sealed class TagDecision
    {
        internal TagDecision(string? contactId, string? email) { ContactId = contactId; Email = email; }

        /// <summary>The ActiveCampaign contact id (null for a contact to be created).</summary>
        public string? ContactId { get; }
        /// <summary>Its email.</summary>
        public string? Email { get; }
        /// <summary>The Salesforce person account it syncs with, when there is one.</summary>
        public string? AccountId { get; internal set; }
        /// <summary>How it syncs.</summary>
        public SyncMode SyncMode { get; internal set; }
        /// <summary>True when it carries both person-account and contact tags.</summary>
        public bool Conflict { get; internal set; }
        /// <summary>True when it synced as a Salesforce contact and now switches to person-account mode (its contact tags are replaced).</summary>
        public bool Migrated { get; internal set; }
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
        /// <summary>Fields to update on the matched existing person account, if any (Id and the fields).</summary>
        public CrmRecord? PersonAccountUpdate { get; internal set; }
        /// <summary>Fields to update on the ActiveCampaign contact (API names), if any; also an UpdateContact operation.</summary>
        public CrmRecord? ContactUpdate { get; internal set; }
        /// <summary>The ActiveCampaign contact to create from a selected person account, if any; also a CreateContact operation.</summary>
        public CrmRecord? ContactToCreate { get; internal set; }
        /// <summary>
        /// What stopped part of the decision, as an error id (DuplicateContactEmail, PersonAccountWithoutEmail,
        /// PersonAccountRecordTypeRequired, ContactWithoutEmail, DuplicatePersonAccountEmail), or null.
        /// </summary>
        public string? ProblemId { get; internal set; }
        /// <summary>The problem in words, or null.</summary>
        public string? Problem { get; internal set; }
        /// <summary>The contact's contactTag links whose tag id is not among the export's tags (link id and tag id), reported.</summary>
        public List<string> UnknownTagLinks { get; } = new List<string>();
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
        /// <summary>The ActiveCampaign contact it matches (by the ActiveCampaign id field, else email), if any.</summary>
        public string? MatchedContactId { get; }
        /// <summary>Why.</summary>
        public string Reason { get; }
    }

    /// <summary>
    /// Person-account versus contact tag reconciliation for ActiveCampaign (SPEC 8, seed 002): person-account tags are the
    /// source of truth and contact tags on such contacts are removed (the cleanup automation of seed 002); the request tag
    /// asks for a person account in Salesforce; mapped fields sync both ways, the side changed last winning; the outbound
    /// option selects which Salesforce person accounts sync out, which tags or creates their ActiveCampaign contacts.
    /// </summary>
    public sealed class TagReconciler
    {
        private readonly TagConfig _config;
        private readonly Dictionary<string, CrmRecord> _tagsById = new Dictionary<string, CrmRecord>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _tagIdByName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<CrmRecord>> _linksByContact = new Dictionary<string, List<CrmRecord>>(StringComparer.Ordinal);
        private readonly List<CrmRecord> _contacts = new List<CrmRecord>();
        private readonly List<CrmRecord> _personAccounts = new List<CrmRecord>();
        private readonly Dictionary<string, CrmRecord> _convertedLeadByAccount = new Dictionary<string, CrmRecord>(StringComparer.Ordinal);

        /// <summary>Creates a reconciler.</summary>
        public TagReconciler(TagConfig config) => _config = config;

        /// <summary>
        /// Takes a record: ActiveCampaign contacts, tags and contactTags (from Import-CrmRecord of the v3 API JSON),
        /// Salesforce person accounts (Account with IsPersonAccount true) and converted Salesforce leads (Lead with
        /// IsConverted true and ConvertedAccountId), which tell which person accounts came from a lead.
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
                var name = record.GetString("tag")?.Trim();
                if (!string.IsNullOrEmpty(name) && !_tagIdByName.ContainsKey(name!)) _tagIdByName[name!] = record.Id;
                // An alias (the German name) stands for its tag when the export has only the alias.
                var canonical = string.IsNullOrEmpty(name) ? null : _config.Canonical(name!);
                if (canonical != null && !_tagIdByName.ContainsKey(canonical)) _tagIdByName[canonical] = record.Id;
            }
            else if (ObjectTypes.SameType(type, "contact") && record.Names.Contains("email", StringComparer.Ordinal))
            {
                // ActiveCampaign contacts (lower-case API fields); Salesforce contacts have Email and are not tag-synced here.
                _contacts.Add(record);
            }
            else if (ObjectTypes.SameType(type, "Account") && IsTrue(record["IsPersonAccount"]))
            {
                _personAccounts.Add(record);
            }
            else if (ObjectTypes.SameType(type, "Lead") && IsTrue(record["IsConverted"]))
            {
                var account = record.GetString("ConvertedAccountId");
                if (!string.IsNullOrWhiteSpace(account) && !_convertedLeadByAccount.ContainsKey(account!.Trim())) _convertedLeadByAccount[account.Trim()] = record;
            }
        }

        private static string? EmailKey(string? email) => string.IsNullOrWhiteSpace(email) ? null : email!.Trim().ToLowerInvariant();

        /// <summary>What the first pass learns about one ActiveCampaign contact.</summary>
        private sealed class Seen
        {
            public CrmRecord Contact = null!;
            public string Id = string.Empty;
            public List<(CrmRecord Link, string Name)> Tags = new List<(CrmRecord, string)>();
            public CrmRecord? Match;
            public string? MatchedBy;
            public string? DuplicateOf;
            public List<string> UnknownTagLinks = new List<string>();
        }

        /// <summary>
        /// The decision for every ActiveCampaign contact, in input order, then one per selected Salesforce person account
        /// that has no ActiveCampaign contact (a contact to create).
        /// </summary>
        public IEnumerable<TagDecision> Decide()
        {
            var seen = Match();
            var claimedAccounts = new HashSet<string>(seen.Where(s => s.Match?.Id != null).Select(s => s.Match!.Id!), StringComparer.Ordinal);
            var requestedBy = new Dictionary<string, string>(StringComparer.Ordinal); // email key -> contact that requested the person account
            foreach (var s in seen)
            {
                var d = Decide(s, requestedBy);
                yield return d;
            }
            foreach (var d in ContactsToCreate(seen, claimedAccounts)) yield return d;
        }

        // First pass: tags and the person account of each contact. A person account belongs to one contact: the one whose id
        // its ActiveCampaign id field holds, else the first contact with its email.
        private List<Seen> Match()
        {
            var list = new List<Seen>(_contacts.Count);
            var byAcId = new Dictionary<string, CrmRecord>(StringComparer.Ordinal);
            var byEmail = new Dictionary<string, CrmRecord>(StringComparer.Ordinal);
            foreach (var pa in _personAccounts)
            {
                var acId = _config.ActiveCampaignIdField == null ? null : pa.GetString(_config.ActiveCampaignIdField)?.Trim();
                if (!string.IsNullOrEmpty(acId) && !byAcId.ContainsKey(acId!)) byAcId[acId!] = pa;
                var key = EmailKey(pa.GetString("PersonEmail"));
                if (key != null && !byEmail.ContainsKey(key)) byEmail[key] = pa;
            }
            foreach (var lead in _convertedLeadByAccount.Values)
            {
                // The contact of a converted lead may still carry the lead's email when the person account's differs.
                var account = _personAccounts.FirstOrDefault(a => a.Id == lead.GetString("ConvertedAccountId")?.Trim());
                var key = EmailKey(lead.GetString("Email"));
                if (account != null && key != null && !byEmail.ContainsKey(key)) byEmail[key] = account;
            }
            var firstWithEmail = new Dictionary<string, string>(StringComparer.Ordinal);
            var claimed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var contact in _contacts)
            {
                var s = new Seen { Contact = contact, Id = contact.Id ?? string.Empty };
                foreach (var link in _linksByContact.TryGetValue(s.Id, out var l) ? l : new List<CrmRecord>())
                {
                    var tagId = link.GetString("tag");
                    var name = tagId != null && _tagsById.TryGetValue(tagId, out var tag) ? tag.GetString("tag")?.Trim() : null;
                    if (!string.IsNullOrEmpty(name)) s.Tags.Add((link, name!));
                    else if (tagId == null || !_tagsById.ContainsKey(tagId)) s.UnknownTagLinks.Add($"{link.Id ?? "(no id)"} (tag {tagId ?? "(none)"})");
                }
                if (byAcId.TryGetValue(s.Id, out var byId) && byId.Id != null && claimed.Add(byId.Id))
                {
                    s.Match = byId;
                    s.MatchedBy = _config.ActiveCampaignIdField;
                }
                list.Add(s);
            }
            foreach (var s in list)
            {
                var key = EmailKey(s.Contact.GetString("email"));
                if (key == null) continue;
                if (firstWithEmail.TryGetValue(key, out var first))
                {
                    s.DuplicateOf = first;
                    continue;
                }
                firstWithEmail[key] = s.Id;
                if (s.Match == null && byEmail.TryGetValue(key, out var pa) && pa.Id != null && claimed.Add(pa.Id))
                {
                    s.Match = pa;
                    s.MatchedBy = "email";
                }
            }
            return list;
        }

        private TagDecision Decide(Seen s, Dictionary<string, string> requestedBy)
        {
            var contact = s.Contact;
            var id = s.Id;
            var email = contact.GetString("email");
            var d = new TagDecision(id, email);
            foreach (var (_, name) in s.Tags)
            {
                if (_config.PersonAccountTags.Contains(name, StringComparer.OrdinalIgnoreCase)) d.PersonAccountTags.Add(name);
                else if (_config.ContactTags.Contains(name, StringComparer.OrdinalIgnoreCase)) d.ContactTags.Add(name);
            }
            var match = s.Match;
            var reasons = new List<string>();
            if (s.DuplicateOf != null)
            {
                Problem(d, "DuplicateContactEmail", $"ActiveCampaign contact {id} has the email {email!.Trim()} of contact {s.DuplicateOf}: a person account belongs to one contact, so only contact {s.DuplicateOf} is matched, synced or requested for it.");
                reasons.Add(d.Problem!);
            }
            if (d.PersonAccountTags.Count > 0)
            {
                d.SyncMode = SyncMode.PersonAccount;
                if (d.ContactTags.Count > 0)
                {
                    d.Conflict = true;
                    reasons.Add($"It has person-account tags ({string.Join(", ", d.PersonAccountTags)}) and contact tags ({string.Join(", ", d.ContactTags)}): person-account tags are the source of truth, so it syncs as a person account and its contact tags are removed.");
                    RemoveContactTags(d, s);
                }
                else
                {
                    reasons.Add($"It has person-account tags ({string.Join(", ", d.PersonAccountTags)}): it syncs as a person account.");
                }
                if (d.PersonAccountTags.Any(t => _config.SameTag(t, _config.CreateRequestTag)))
                {
                    if (match != null)
                    {
                        reasons.Add($"'{_config.CreateRequestTag}' is set and person account {match.Id} already exists for it (by {s.MatchedBy}): nothing is created.");
                    }
                    else if (s.DuplicateOf == null)
                    {
                        Request(d, s, requestedBy, reasons);
                    }
                }
            }
            else if (match != null && Outbound(match, id) is var outbound && outbound.Selected)
            {
                // Salesforce to ActiveCampaign: the integration tags the contact of a selected person account. A contact that
                // synced as a Salesforce contact switches to person-account mode: the person-account tag is added and its
                // contact tags removed in the same run, so it is never both.
                d.SyncMode = SyncMode.PersonAccount;
                var lead = match.Id != null && _convertedLeadByAccount.TryGetValue(match.Id, out var l) ? l : null;
                var tag = lead != null ? _config.LeadConvertedTag : _config.FromSalesforceTag;
                d.TagsToAdd.Add(tag);
                d.Operations.Add(new TagOperation("AddContactTag", id, null, TagId(tag), tag));
                var why = lead != null ? $"it was converted from Salesforce lead {lead.Id}" : "it came from Salesforce";
                if (d.ContactTags.Count > 0)
                {
                    d.Migrated = true;
                    reasons.Add($"It synced as a Salesforce contact ({string.Join(", ", d.ContactTags)}), and person account {match.Id} now exists for it (by {s.MatchedBy}) and the outbound option selects it ({outbound.Reason}): it switches to person-account mode, gets '{tag}' ({why}) and loses its contact tags, never both.");
                    RemoveContactTags(d, s);
                }
                else
                {
                    reasons.Add($"Person account {match.Id} matches it (by {s.MatchedBy}) and the outbound option selects it ({outbound.Reason}): it syncs as a person account and gets '{tag}' ({why}).");
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
            if (match != null && d.SyncMode == SyncMode.PersonAccount)
            {
                d.AccountId = match.Id;
                SyncFields(d, contact, match, reasons);
            }
            if (s.UnknownTagLinks.Count > 0)
            {
                d.UnknownTagLinks.AddRange(s.UnknownTagLinks);
                reasons.Add($"contactTag link(s) {string.Join(", ", s.UnknownTagLinks)} name a tag id that is not in the export's tags: those tags are unknown and not counted (export /api/3/tags completely).");
            }
            d.Reason = string.Join(" ", reasons);
            return d;
        }

        private void RemoveContactTags(TagDecision d, Seen s)
        {
            foreach (var (link, name) in s.Tags.Where(t => _config.ContactTags.Contains(t.Name, StringComparer.OrdinalIgnoreCase)))
            {
                d.TagsToRemove.Add(name);
                d.Operations.Add(new TagOperation("DeleteContactTag", s.Id, link.Id, link.GetString("tag"), name));
            }
        }

        private void Request(TagDecision d, Seen s, Dictionary<string, string> requestedBy, List<string> reasons)
        {
            var email = s.Contact.GetString("email");
            var key = EmailKey(email);
            if (key == null)
            {
                Problem(d, "PersonAccountWithoutEmail", $"ActiveCampaign contact {s.Id} has '{_config.CreateRequestTag}' but no email: no person account is requested (a person account is matched and kept in step by its email).");
                reasons.Add(d.Problem!);
                return;
            }
            if (requestedBy.TryGetValue(key, out var other))
            {
                Problem(d, "DuplicateContactEmail", $"ActiveCampaign contact {s.Id} requests a person account for {email!.Trim()}, which contact {other} already requested: one person account per email.");
                reasons.Add(d.Problem!);
                return;
            }
            if (_config.DefaultRecordTypeId == null)
            {
                Problem(d, "PersonAccountRecordTypeRequired", $"ActiveCampaign contact {s.Id} requests a person account, but the tag configuration has no defaultRecordTypeId: the record type makes an Account a person account, so none is requested.");
                reasons.Add(d.Problem!);
                return;
            }
            requestedBy[key] = s.Id;
            d.PersonAccountToCreate = NewPersonAccount(s.Contact);
            reasons.Add($"'{_config.CreateRequestTag}' requests a person account in Salesforce, and none with email {email!.Trim()} exists: one is to be created with record type {_config.DefaultRecordTypeId}.");
        }

        private static void Problem(TagDecision d, string id, string text)
        {
            // The first problem is the one reported; later ones would follow from it.
            if (d.ProblemId != null) return;
            d.ProblemId = id;
            d.Problem = text;
        }

        private string? TagId(string name) => _tagIdByName.TryGetValue(name, out var id) ? id : null;

        // Selected person accounts that no ActiveCampaign contact has: one contact to create each (one per email).
        private IEnumerable<TagDecision> ContactsToCreate(List<Seen> seen, HashSet<string> claimed)
        {
            if (_config.Outbound == OutboundMode.None) yield break;
            var contactEmails = new HashSet<string>(seen.Select(s => EmailKey(s.Contact.GetString("email"))).Where(k => k != null)!, StringComparer.Ordinal);
            var created = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pa in _personAccounts)
            {
                if (pa.Id == null || claimed.Contains(pa.Id)) continue;
                var key = EmailKey(pa.GetString("PersonEmail"));
                if (key != null && contactEmails.Contains(key)) continue; // its email's contact took another person account
                var outbound = Outbound(pa, null);
                if (!outbound.Selected) continue;
                var d = new TagDecision(null, pa.GetString("PersonEmail")?.Trim()) { AccountId = pa.Id, SyncMode = SyncMode.PersonAccount };
                var lead = _convertedLeadByAccount.TryGetValue(pa.Id, out var l) ? l : null;
                var tag = lead != null ? _config.LeadConvertedTag : _config.FromSalesforceTag;
                if (key == null)
                {
                    Problem(d, "ContactWithoutEmail", $"Person account {pa.Id} is selected by the outbound option ({outbound.Reason}) but has no PersonEmail: ActiveCampaign needs an email to create a contact, so none is created.");
                    d.SyncMode = SyncMode.NotSynced;
                    d.Reason = d.Problem!;
                    yield return d;
                    continue;
                }
                if (created.TryGetValue(key, out var first))
                {
                    Problem(d, "DuplicatePersonAccountEmail", $"Person account {pa.Id} has the email of person account {first}, whose ActiveCampaign contact is already to be created: one contact per email.");
                    d.SyncMode = SyncMode.NotSynced;
                    d.Reason = d.Problem!;
                    yield return d;
                    continue;
                }
                created[key] = pa.Id;
                var contact = new CrmRecord("contact");
                foreach (var m in _config.FieldMapping)
                {
                    if (m.Policy == UpdatePolicy.Never) continue;
                    var v = pa[m.To];
                    if (!RecordValue.IsBlank(v)) contact.Set(m.From, RecordValue.ToText(v));
                }
                if (!contact.Has("email")) contact.Set("email", pa.GetString("PersonEmail")!.Trim());
                d.ContactToCreate = contact;
                d.TagsToAdd.Add(tag);
                d.Operations.Add(new TagOperation("CreateContact", null, null, TagId(tag), tag, pa.Id, new JObject { ["contact"] = Body(contact) }));
                d.Reason = $"Person account {pa.Id} is selected by the outbound option ({outbound.Reason}) and no ActiveCampaign contact has it: a contact is to be created and tagged '{tag}' ({(lead != null ? $"it was converted from Salesforce lead {lead.Id}" : "it came from Salesforce")}).";
                yield return d;
            }
        }

        private static JObject Body(CrmRecord fields)
        {
            var o = new JObject();
            foreach (var f in fields) o[f.Key] = RecordValue.ToText(f.Value);
            return o;
        }

        /// <summary>The outbound decision for every Salesforce person account given.</summary>
        public IEnumerable<OutboundDecision> OutboundDecisions()
        {
            var byAccount = Match().Where(s => s.Match?.Id != null).ToDictionary(s => s.Match!.Id!, s => s.Id, StringComparer.Ordinal);
            foreach (var pa in _personAccounts)
            {
                yield return Outbound(pa, pa.Id != null && byAccount.TryGetValue(pa.Id, out var c) ? c : null);
            }
        }

        private OutboundDecision Outbound(CrmRecord pa, string? contactId)
        {
            var id = pa.Id ?? string.Empty;
            switch (_config.Outbound)
            {
                case OutboundMode.CreatedOrUpdatedSince:
                    var since = _config.OutboundSince!.Value;
                    var latest = new[] { Instant(pa["CreatedDate"]), Instant(pa["LastModifiedDate"]) }
                        .Where(t => t.HasValue).Select(t => t!.Value.UtcDateTime).DefaultIfEmpty(DateTime.MinValue).Max();
                    var selected = latest >= since;
                    return new OutboundDecision(id, selected, contactId, selected
                        ? $"created or updated {latest:yyyy-MM-dd HH:mm} UTC, on or after {since:yyyy-MM-dd HH:mm} UTC"
                        : latest == DateTime.MinValue ? "it has no CreatedDate or LastModifiedDate" : $"last created or updated {latest:yyyy-MM-dd HH:mm} UTC, before {since:yyyy-MM-dd HH:mm} UTC");
                case OutboundMode.Flagged:
                    var value = pa.GetString(_config.OutboundField!);
                    var flagged = string.Equals(value?.Trim(), _config.OutboundValue, StringComparison.OrdinalIgnoreCase);
                    return new OutboundDecision(id, flagged, contactId, flagged ? $"{_config.OutboundField} is {value}" : $"{_config.OutboundField} is {value ?? "blank"}, not {_config.OutboundValue}");
                default:
                    return new OutboundDecision(id, false, contactId, "the outbound option is None");
            }
        }

        private CrmRecord NewPersonAccount(CrmRecord contact)
        {
            // No IsPersonAccount: Salesforce does not let an insert set it; the person-account record type decides.
            var account = new CrmRecord("Account");
            account.Add("RecordTypeId", _config.DefaultRecordTypeId);
            foreach (var m in _config.FieldMapping)
            {
                if (m.Policy == UpdatePolicy.Never) continue;
                var v = contact[m.From];
                if (!RecordValue.IsBlank(v)) account.Set(m.To, v is string text ? text.Trim() : v);
            }
            if (!account.Has("LastName")) account.Set("LastName", contact.GetString("lastName")?.Trim() is string ln && ln.Length > 0 ? ln : contact.GetString("email")!.Trim());
            if (_config.ActiveCampaignIdField != null) account.Set(_config.ActiveCampaignIdField, contact.Id);
            return account;
        }

        /// <summary>
        /// Two-way field sync (seed 002: "bidirektionale Synchronisierung", default "Immer aktualisieren"): per mapped field,
        /// equal values stay; a blank side is filled from the other (AlwaysUpdate and UpdateIfBlank); two different values
        /// under AlwaysUpdate go from the side changed last (ActiveCampaign udate against Salesforce LastModifiedDate) to the
        /// other; when that cannot be told (a time missing, or the same instant) neither side is overwritten.
        /// </summary>
        private void SyncFields(TagDecision d, CrmRecord contact, CrmRecord pa, List<string> reasons)
        {
            var acTime = Instant(contact["udate"]);
            var sfTime = Instant(pa["LastModifiedDate"]);
            var newer = acTime == null || sfTime == null || acTime == sfTime ? (string?)null : acTime > sfTime ? "ActiveCampaign" : "Salesforce";
            var toSf = new CrmRecord("Account");
            var toAc = new CrmRecord("contact");
            var toSfWhy = new List<string>();
            var toAcWhy = new List<string>();
            var undecided = new List<string>();
            foreach (var m in _config.FieldMapping)
            {
                if (m.Policy == UpdatePolicy.Never) continue;
                var acValue = Trimmed(contact[m.From]);
                var sfValue = Trimmed(pa[m.To]);
                var acBlank = RecordValue.IsBlank(acValue);
                var sfBlank = RecordValue.IsBlank(sfValue);
                if (acBlank && sfBlank) continue;
                if (!acBlank && !sfBlank && string.Equals(RecordValue.ToText(acValue), RecordValue.ToText(sfValue), StringComparison.Ordinal)) continue;
                if (sfBlank)
                {
                    toSf.Set(m.To, acValue);
                    toSfWhy.Add($"{m.To} (blank in Salesforce)");
                }
                else if (acBlank)
                {
                    toAc.Set(m.From, RecordValue.ToText(sfValue));
                    toAcWhy.Add($"{m.From} (blank in ActiveCampaign)");
                }
                else if (m.Policy == UpdatePolicy.UpdateIfBlank)
                {
                    continue;
                }
                else if (newer == "ActiveCampaign")
                {
                    toSf.Set(m.To, acValue);
                    toSfWhy.Add($"{m.To} (AlwaysUpdate, ActiveCampaign changed last)");
                }
                else if (newer == "Salesforce")
                {
                    toAc.Set(m.From, RecordValue.ToText(sfValue));
                    toAcWhy.Add($"{m.From} (AlwaysUpdate, Salesforce changed last)");
                }
                else
                {
                    undecided.Add($"{m.From}/{m.To}");
                }
            }
            var times = $"ActiveCampaign udate {Show(acTime, contact["udate"])}, Salesforce LastModifiedDate {Show(sfTime, pa["LastModifiedDate"])}";
            if (_config.ActiveCampaignIdField != null && d.ContactId != null && RecordValue.IsBlank(pa[_config.ActiveCampaignIdField]))
            {
                toSf.Set(_config.ActiveCampaignIdField, d.ContactId);
                toSfWhy.Add($"{_config.ActiveCampaignIdField} (the link to the contact)");
            }
            if (toSf.Count > 0)
            {
                var update = new CrmRecord("Account");
                update.Add("Id", pa.Id);
                foreach (var f in toSf) update.Add(f.Key, f.Value);
                d.PersonAccountUpdate = update;
                reasons.Add($"Person account {pa.Id} gets {string.Join(", ", toSfWhy)} from ActiveCampaign ({times}).");
            }
            if (toAc.Count > 0)
            {
                d.ContactUpdate = toAc;
                d.Operations.Add(new TagOperation("UpdateContact", d.ContactId, null, null, null, pa.Id, new JObject { ["contact"] = Body(toAc) }));
                reasons.Add($"ActiveCampaign contact {d.ContactId} gets {string.Join(", ", toAcWhy)} from person account {pa.Id} ({times}).");
            }
            if (undecided.Count > 0)
            {
                reasons.Add($"{string.Join(", ", undecided)} differ and which side changed last cannot be told ({times}): neither is overwritten.");
            }
        }

        private static object? Trimmed(object? value) => value is string s ? s.Trim() : value is JValue jv && jv.Value is string js ? js.Trim() : value;

        private static string Show(DateTimeOffset? t, object? raw) =>
            t.HasValue ? t.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : RecordValue.IsBlank(raw) ? "missing" : $"'{RecordValue.ToText(raw)}' unreadable";

        /// <summary>
        /// An instant from an export's date-time: ActiveCampaign writes offsets (<c>2026-01-01T00:00:00-06:00</c>),
        /// Salesforce <c>+0000</c>; compared in UTC. A time without an offset is taken as UTC.
        /// </summary>
        internal static DateTimeOffset? Instant(object? value)
        {
            switch (value)
            {
                case null: return null;
                case DateTimeOffset dto: return dto.ToUniversalTime();
                case DateTime dt: return new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt).ToUniversalTime();
                case JValue jv: return Instant(jv.Value);
            }
            var text = RecordValue.ToText(value)?.Trim();
            if (string.IsNullOrEmpty(text)) return null;
            if (text!.Length > 5 && (text[text.Length - 5] == '+' || text[text.Length - 5] == '-') && text.IndexOf('T') > 0
                && text.Substring(text.Length - 4).All(char.IsDigit))
            {
                text = text.Substring(0, text.Length - 2) + ":" + text.Substring(text.Length - 2);
            }
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.ToUniversalTime() : (DateTimeOffset?)null;
        }

        private static bool IsTrue(object? value) => value switch
        {
            bool b => b,
            string s => string.Equals(s.Trim(), "true", StringComparison.OrdinalIgnoreCase) || s.Trim() == "1",
            JValue jv => IsTrue(jv.Value),
            _ => false,
        };
    }
}
