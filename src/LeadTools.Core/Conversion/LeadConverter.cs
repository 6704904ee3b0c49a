using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LeadTools.Core.Keys;
using LeadTools.Core.Records;

namespace LeadTools.Core.Conversion
{
    /// <summary>How to convert leads (SPEC 3).</summary>
    public sealed class ConversionOptions
    {
        /// <summary>The lead status set on conversion.</summary>
        public string ConvertedStatus { get; set; } = "Closed - Converted";
        /// <summary>Create an opportunity for each conversion.</summary>
        public bool CreateOpportunity { get; set; } = true;
        /// <summary>Opportunity name template; {Field} is replaced by the lead's field (Salesforce's default: the company and a dash).</summary>
        public string OpportunityName { get; set; } = "{Company}-";
        /// <summary>Stage of new opportunities.</summary>
        public string OpportunityStage { get; set; } = "Prospecting";
        /// <summary>Overwrite LeadSource on existing contacts and accounts.</summary>
        public bool OverwriteLeadSource { get; set; }
        /// <summary>Person accounts are enabled and leads without a company convert to person accounts.</summary>
        public bool AllowPersonAccount { get; set; }
        /// <summary>Record type of new person accounts.</summary>
        public string? PersonAccountRecordTypeId { get; set; }
        /// <summary>Owner of the new records; null keeps the lead's owner.</summary>
        public string? OwnerId { get; set; }
        /// <summary>The conversion date (a date without a time).</summary>
        public DateTime ConvertedDate { get; set; } = DateTime.UtcNow.Date;
        /// <summary>The field mapping.</summary>
        public FieldMapping Mapping { get; set; } = FieldMapping.Standard();
        /// <summary>The funnel rules (SPEC 5.4), with opportunities and campaigns; null: memberships simply move and statuses stay.</summary>
        public Funnel.FunnelAnalyzer? Funnel { get; set; }
        /// <summary>
        /// Write the contact status the funnel rules decide into the change files. Off by default: seed 001 recommends "do not
        /// explicitly update the contact status post lead conversion - let Funnel Metrics configuration handle those updates".
        /// The result's contact still shows the expected status.
        /// </summary>
        public bool WriteContactStatus { get; set; }
        /// <summary>The user doing the conversion runs in passive mode (seed 001).</summary>
        public bool PassiveUser { get; set; }
        /// <summary>The journal run id of the memberships the conversions destroy, resolve, archive or re-insert.</summary>
        public string RunId { get; set; } = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 6);
    }

    /// <summary>One lead of a group conversion: its outcome, or why it was not converted.</summary>
    public sealed class ConversionAttempt
    {
        internal ConversionAttempt(ConversionRequest request) => Request = request;
        /// <summary>The request.</summary>
        public ConversionRequest Request { get; }
        /// <summary>The outcome, when converted.</summary>
        public ConversionOutcome? Outcome { get; internal set; }
        /// <summary>Why not, when not converted.</summary>
        public ConversionException? Error { get; internal set; }
    }

    /// <summary>One lead to convert and where to.</summary>
    public sealed class ConversionRequest
    {
        /// <summary>Creates a request.</summary>
        public ConversionRequest(CrmRecord lead) => Lead = lead;
        /// <summary>The lead.</summary>
        public CrmRecord Lead { get; }
        /// <summary>Convert into this existing contact.</summary>
        public string? ContactId { get; set; }
        /// <summary>Convert into this existing account.</summary>
        public string? AccountId { get; set; }
    }

    /// <summary>Why a lead was not converted; <see cref="ErrorId"/> is the PowerShell ErrorId.</summary>
    public sealed class ConversionException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public ConversionException(string errorId, string message) : base(message) => ErrorId = errorId;
        /// <summary>AlreadyConverted, NotALead, MissingLeadId, LeadHasNoCompany, ContactNotFound, AccountNotFound, ContactAccountMismatch.</summary>
        public string ErrorId { get; }
    }

    /// <summary>What one conversion did.</summary>
    public sealed class ConversionOutcome
    {
        internal ConversionOutcome(CrmRecord lead) => Lead = lead;

        /// <summary>The converted lead (IsConverted, Status, Converted* fields set).</summary>
        public CrmRecord Lead { get; }
        /// <summary>The new or updated contact (for a person account: its person contact).</summary>
        public CrmRecord Contact { get; internal set; } = null!;
        /// <summary>The new or updated account.</summary>
        public CrmRecord Account { get; internal set; } = null!;
        /// <summary>The new opportunity, if one was created.</summary>
        public CrmRecord? Opportunity { get; internal set; }
        /// <summary>True when the contact was created.</summary>
        public bool ContactIsNew { get; internal set; }
        /// <summary>True when the account was created.</summary>
        public bool AccountIsNew { get; internal set; }
        /// <summary>True for a person-account conversion.</summary>
        public bool IsPersonAccount { get; internal set; }
        /// <summary>Campaign members and activities moved to the contact (updated copies).</summary>
        public List<CrmRecord> MovedChildren { get; } = new List<CrmRecord>();
        /// <summary>The funnel outcome (row, contact status, responses resolved, memberships destroyed) when funnel rules were given.</summary>
        public Funnel.FunnelOutcome? Funnel { get; internal set; }
        /// <summary>Memberships destroyed by the funnel rules (same campaign): to delete, kept here as they were.</summary>
        public List<CrmRecord> DestroyedMemberships { get; } = new List<CrmRecord>();
        /// <summary>Opportunities whose archive field took a destroyed opportunity-linked membership (updated copies).</summary>
        public List<CrmRecord> OpportunitiesArchived { get; } = new List<CrmRecord>();
        /// <summary>Destroyed opportunity-linked memberships re-inserted on the contact (new records).</summary>
        public List<CrmRecord> ReinsertedMemberships { get; } = new List<CrmRecord>();
        /// <summary>The leads converted into the same contact in this run and decided together with this one (this lead included).</summary>
        public List<string> GroupLeadIds { get; } = new List<string>();
        /// <summary>The journal entry of the memberships this conversion group destroyed, resolved, archived or re-inserted (on the group's first lead), else null.</summary>
        public Merge.JournalEntry? Journal { get; internal set; }
        /// <summary>Warnings: an opportunity not given, no system campaign, an archive field left as it was.</summary>
        public List<string> Warnings { get; } = new List<string>();
        /// <summary>The lead as it was before the conversion.</summary>
        internal CrmRecord OriginalLead { get; set; } = null!;
        /// <summary>Fields filled on existing records ("Contact.Phone").</summary>
        public List<string> FilledFields { get; } = new List<string>();
        /// <summary>What was decided and why, in words.</summary>
        public List<string> Notes { get; } = new List<string>();
        /// <summary>Field names changed on existing records, per object ("Contact" / "Account").</summary>
        internal Dictionary<string, List<string>> ChangedOnExisting { get; } = new Dictionary<string, List<string>>(StringComparer.Ordinal);

        internal string ResponseField { get; set; } = "FCRM__FCR_Response_Status__c";
        internal string LeadStatusField { get; set; } = "Status";
        internal string ArchiveField { get; set; } = "FCRM__FCR_Admin_CMArchive__c";
        /// <summary>The contact status field the funnel rules set, when they set it and it is not to be written.</summary>
        internal string? UnwrittenContactStatusField { get; set; }

        private static readonly string[] LeadFields = { "IsConverted", "ConvertedContactId", "ConvertedAccountId", "ConvertedOpportunityId", "ConvertedDate" };

        /// <summary>Adds what the CRM must do for this conversion: inserts of new records, updates of existing ones.</summary>
        public void AddChanges(Export.ChangeSet changes)
        {
            changes.Update("Lead", Lead.Id!, new[] { "IsConverted", LeadStatusField }.Concat(LeadFields.Skip(1)).Select(f => new KeyValuePair<string, object?>(f, Lead[f])));
            if (AccountIsNew) changes.Insert(Account);
            else if (ChangedOnExisting.TryGetValue("Account", out var a)) changes.Update("Account", Account.Id!, a.Select(f => new KeyValuePair<string, object?>(f, Account[f])));
            if (ContactIsNew && !IsPersonAccount)
            {
                var insert = Contact;
                if (UnwrittenContactStatusField != null)
                {
                    insert = Contact.Clone();
                    insert.Remove(UnwrittenContactStatusField);
                }
                changes.Insert(insert);
            }
            else if (ChangedOnExisting.TryGetValue("Contact", out var c)) changes.Update("Contact", Contact.Id!, c.Select(f => new KeyValuePair<string, object?>(f, Contact[f])));
            if (Opportunity != null) changes.Insert(Opportunity);
            foreach (var child in MovedChildren)
            {
                if (child.Id == null || child.ObjectType == null) continue;
                var isMember = ObjectTypes.SameType(child.ObjectType, "CampaignMember");
                var fields = new List<KeyValuePair<string, object?>> { new KeyValuePair<string, object?>(isMember ? "ContactId" : "WhoId", child[isMember ? "ContactId" : "WhoId"]) };
                if (isMember && Funnel != null)
                {
                    var resolved = Funnel.ResolvedResponses.FirstOrDefault(r => r.MemberId == child.Id);
                    if (resolved != null) fields.Add(new KeyValuePair<string, object?>(ResponseField, resolved.NewStatus));
                }
                changes.Update(child.ObjectType, child.Id, fields);
            }
            foreach (var m in DestroyedMemberships)
            {
                if (m.Id != null) changes.Delete("CampaignMember", m.Id);
            }
            foreach (var o in OpportunitiesArchived) changes.Update("Opportunity", o.Id!, new[] { new KeyValuePair<string, object?>(ArchiveField, o[ArchiveField]) });
            foreach (var m in ReinsertedMemberships) changes.Insert(m);
        }
    }

    /// <summary>
    /// Converts leads the way Salesforce's <c>Database.convertLead</c> does, offline: a new contact and account
    /// (and opportunity), or into existing ones filling only blank fields; person accounts for leads without a
    /// company when enabled; campaign members and activities moved; the alternate key store updated.
    /// New records get provisional ids (<c>003LT…</c>, <c>001LT…</c>, <c>006LT…</c>) derived from the lead id.
    /// </summary>
    public sealed class LeadConverter
    {
        private readonly ConversionOptions _options;
        private readonly AlternateKeyStore? _keys;
        private readonly Dictionary<string, CrmRecord> _existing = new Dictionary<string, CrmRecord>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<CrmRecord>> _childrenByPerson = new Dictionary<string, List<CrmRecord>>(StringComparer.Ordinal);
        private readonly HashSet<string> _convertedThisRun = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, CrmRecord> _opportunities = new Dictionary<string, CrmRecord>(StringComparer.Ordinal);
        private int _journalSequence;

        /// <summary>Creates a converter; <paramref name="keys"/> is updated with every conversion.</summary>
        public LeadConverter(ConversionOptions options, AlternateKeyStore? keys)
        {
            _options = options;
            _keys = keys;
        }

        /// <summary>Existing contacts and accounts that leads may be converted into.</summary>
        public void AddExisting(CrmRecord record)
        {
            if (record.Id != null) _existing[record.Id] = record;
        }

        /// <summary>Campaign members, tasks and events, indexed by the lead or contact they belong to.</summary>
        public void AddRelated(CrmRecord record)
        {
            // Opportunities: their archive field takes destroyed opportunity-linked memberships (SPEC 5.2).
            if (ObjectTypes.SameType(record.ObjectType, "Opportunity") && record.Id != null) _opportunities[record.Id] = record;
            foreach (var field in PersonReferenceFields)
            {
                var who = record.GetString(field);
                if (who == null) continue;
                if (!_childrenByPerson.TryGetValue(who, out var list)) _childrenByPerson[who] = list = new List<CrmRecord>();
                list.Add(record);
            }
        }

        private static readonly string[] PersonReferenceFields = { "LeadId", "ContactId", "WhoId" };

        /// <summary>Converts one lead; throws <see cref="ConversionException"/> when it cannot be converted.</summary>
        public ConversionOutcome Convert(ConversionRequest request)
        {
            var attempt = ConvertGroup(new[] { request })[0];
            if (attempt.Error != null) throw attempt.Error;
            return attempt.Outcome!;
        }

        /// <summary>
        /// Converts leads; leads converted into the same contact are decided as one group by the funnel rules (SPEC 5.4, the
        /// same outcome as Get-MergeOutcome for the contact and all the leads, whatever their order), since a person holds
        /// one active response at a time. A lead that cannot be converted gets its error and the others go on.
        /// </summary>
        public IReadOnlyList<ConversionAttempt> ConvertGroup(IReadOnlyList<ConversionRequest> requests)
        {
            var attempts = requests.Select(r => new ConversionAttempt(r)).ToList();
            foreach (var a in attempts)
            {
                try
                {
                    a.Outcome = Prepare(a.Request);
                }
                catch (ConversionException ex)
                {
                    a.Error = ex;
                }
            }
            foreach (var group in attempts.Where(a => a.Outcome != null).Select(a => a.Outcome!).GroupBy(o => o.Contact.Id!, StringComparer.Ordinal))
            {
                var outcomes = group.ToList();
                // Every lead of the group sees the contact with the blanks all of them filled.
                var contact = outcomes[outcomes.Count - 1].Contact;
                foreach (var o in outcomes)
                {
                    o.Contact = contact;
                    o.GroupLeadIds.AddRange(outcomes.Select(x => x.Lead.Id!));
                }
                if (_options.Funnel != null) ApplyFunnel(outcomes);
                else foreach (var o in outcomes) MoveChildren(o.Lead.Id!, contact.Id!, o);
                foreach (var o in outcomes)
                {
                    o.Notes.Insert(0, Describe(o, o.Lead.Id!));
                    _keys?.Convert(o.Lead.Id!, contact.Id!, "Contact", DateTime.UtcNow);
                }
            }
            return attempts;
        }

        private ConversionOutcome Prepare(ConversionRequest request)
        {
            var source = request.Lead;
            if (!ObjectTypes.SameType(source.ObjectType, "Lead"))
            {
                throw new ConversionException("NotALead", $"{source.ObjectType ?? "A record"} {source.Id} is not a lead.");
            }
            var leadId = source.Id ?? throw new ConversionException("MissingLeadId", "The lead has no Id; a lead must have been exported from the CRM (with its Id) to be converted.");
            if (IsTrue(source["IsConverted"]))
            {
                throw new ConversionException("AlreadyConverted", $"Lead {leadId} is already converted (to contact {source.GetString("ConvertedContactId") ?? "?"} on {source.GetString("ConvertedDate") ?? "?"}).");
            }
            if (_convertedThisRun.Contains(leadId))
            {
                throw new ConversionException("AlreadyConverted", $"Lead {leadId} was already converted earlier in this run.");
            }
            var known = _keys?.Find(leadId);
            if (known?.Parent != null)
            {
                throw new ConversionException("AlreadyConverted", $"Lead {leadId} is already {known.How.ToString().ToLowerInvariant()} into {_keys!.Resolve(leadId)} (key store, {known.At:yyyy-MM-dd}); the export is older than that.");
            }

            var lead = source.Clone();
            var outcome = new ConversionOutcome(lead) { OriginalLead = source };
            var date = _options.ConvertedDate.Date;
            var owner = _options.OwnerId ?? lead.GetString("OwnerId");

            // Existing targets.
            CrmRecord? existingContact = null;
            CrmRecord? existingAccount = null;
            var accountId = Blank(request.AccountId);
            if (Blank(request.ContactId) is string contactId)
            {
                existingContact = Existing(contactId, "Contact", "ContactNotFound");
                var contactAccount = existingContact.GetString("AccountId");
                if (accountId != null && contactAccount != null && !string.Equals(accountId, contactAccount, StringComparison.Ordinal))
                {
                    throw new ConversionException("ContactAccountMismatch", $"Contact {contactId} belongs to account {contactAccount}, not {accountId}; Salesforce converts into a contact only together with its own account.");
                }
                accountId ??= contactAccount;
            }
            if (accountId != null) existingAccount = Existing(accountId, "Account", "AccountNotFound");

            var company = lead.GetString("Company");
            var personAccount = existingAccount == null && string.IsNullOrWhiteSpace(company);
            if (personAccount && !_options.AllowPersonAccount)
            {
                throw new ConversionException("LeadHasNoCompany", $"Lead {leadId} has no Company, so no account can be named; pass -AllowPersonAccount to convert leads without a company to person accounts (person accounts must be enabled in the org), or give -AccountId.");
            }

            // Account.
            CrmRecord account;
            if (existingAccount != null)
            {
                account = existingAccount.Clone();
                FillBlanks(lead, account, _options.Mapping.For(IsTrue(account["IsPersonAccount"]) ? "PersonAccount" : "Account"), "Account", outcome, isContact: false);
                _existing[account.Id!] = account; // a later lead into the same account sees what this one filled
            }
            else
            {
                account = new CrmRecord("Account");
                account.Add("Id", ProvisionalId("001", leadId));
                if (personAccount)
                {
                    outcome.IsPersonAccount = true;
                    if (_options.PersonAccountRecordTypeId != null) account.Add("RecordTypeId", _options.PersonAccountRecordTypeId);
                    account.Add("IsPersonAccount", true);
                    Copy(lead, account, _options.Mapping.For("PersonAccount"));
                    account.Add("PersonContactId", ProvisionalId("003", leadId));
                }
                else
                {
                    Copy(lead, account, _options.Mapping.For("Account"));
                }
                if (owner != null) account.Set("OwnerId", owner);
                outcome.AccountIsNew = true;
            }
            outcome.Account = account;

            // Contact.
            CrmRecord contact;
            if (existingContact != null)
            {
                contact = existingContact.Clone();
                FillBlanks(lead, contact, _options.Mapping.For("Contact"), "Contact", outcome, isContact: true);
                _existing[contact.Id!] = contact; // a later lead into the same contact sees what this one filled
            }
            else if (personAccount || IsTrue(account["IsPersonAccount"]))
            {
                // The person contact exists with the person account; it is not inserted on its own.
                contact = new CrmRecord("Contact");
                contact.Add("Id", account.GetString("PersonContactId") ?? ProvisionalId("003", leadId));
                contact.Add("AccountId", account.Id);
                contact.Add("IsPersonAccount", true);
                Copy(lead, contact, _options.Mapping.For("Contact"));
                outcome.IsPersonAccount = true;
                outcome.ContactIsNew = outcome.AccountIsNew;
            }
            else
            {
                contact = new CrmRecord("Contact");
                contact.Add("Id", ProvisionalId("003", leadId));
                contact.Add("AccountId", account.Id);
                Copy(lead, contact, _options.Mapping.For("Contact"));
                if (owner != null) contact.Set("OwnerId", owner);
                outcome.ContactIsNew = true;
            }
            outcome.Contact = contact;

            // Opportunity.
            if (_options.CreateOpportunity)
            {
                var opp = new CrmRecord("Opportunity");
                opp.Add("Id", ProvisionalId("006", leadId));
                opp.Add("Name", OpportunityName(lead));
                opp.Add("AccountId", account.Id);
                opp.Add("StageName", _options.OpportunityStage);
                opp.Add("CloseDate", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                Copy(lead, opp, _options.Mapping.For("Opportunity"));
                if (owner != null) opp.Set("OwnerId", owner);
                outcome.Opportunity = opp;
            }

            // The lead.
            lead.Set("IsConverted", true);
            outcome.LeadStatusField = _options.Funnel?.Config.LeadStatusField ?? "Status";
            lead.Set(outcome.LeadStatusField, _options.ConvertedStatus);
            lead.Set("ConvertedContactId", contact.Id);
            lead.Set("ConvertedAccountId", account.Id);
            lead.Set("ConvertedOpportunityId", outcome.Opportunity?.Id);
            lead.Set("ConvertedDate", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            _convertedThisRun.Add(leadId);
            return outcome;
        }

        /// <summary>
        /// SPEC 5.4 with a funnel configuration: the engine decides the contact status, the responses to resolve and the
        /// memberships the conversion destroys; the lead's other memberships and activities move to the contact.
        /// </summary>
        private void ApplyFunnel(List<ConversionOutcome> outcomes)
        {
            var config = _options.Funnel!.Config;
            var contact = outcomes[0].Contact;
            var first = outcomes[0];
            var leadIds = new HashSet<string>(outcomes.Select(o => o.Lead.Id!), StringComparer.Ordinal);
            var members = new List<CrmRecord>();
            foreach (var id in leadIds.Concat(new[] { contact.Id! }))
            {
                if (_childrenByPerson.TryGetValue(id, out var list)) members.AddRange(list.Where(c => ObjectTypes.SameType(c.ObjectType, "CampaignMember")));
            }
            members = members.Distinct().ToList();
            var contactBefore = contact.Clone();
            // The engine judges the leads by their status before conversion, all of them together.
            var f = new Funnel.MergeOutcomeEngine(_options.Funnel!, _options.PassiveUser).Decide(contact, outcomes.Select(o => o.OriginalLead).ToList(), members);
            var statusField = config.ContactStatusField;
            foreach (var o in outcomes)
            {
                o.Funnel = f;
                o.ResponseField = config.ResponseStatusField;
                o.ArchiveField = config.ArchiveField;
            }
            var statusChanged = f.SurvivingStatus != null && !Equals(contact[statusField], f.SurvivingStatus);
            if (statusChanged)
            {
                contact.Set(statusField, f.SurvivingStatus);
                if (!_options.WriteContactStatus)
                {
                    foreach (var o in outcomes) o.UnwrittenContactStatusField = statusField;
                }
                else if (!first.ContactIsNew)
                {
                    if (!first.ChangedOnExisting.TryGetValue("Contact", out var changed)) first.ChangedOnExisting["Contact"] = changed = new List<string>();
                    if (!changed.Contains(statusField)) changed.Add(statusField);
                }
            }

            // Destroyed memberships: journalled, archived and re-inserted exactly as a merge does (SPEC 5.2).
            var entry = new Merge.JournalEntry(_options.RunId + ":" + (++_journalSequence).ToString(CultureInfo.InvariantCulture), "convert:" + contact.Id, contact.Id!, DateTime.UtcNow);
            var opportunities = _opportunities;
            var recovery = Merge.MembershipRecovery.Apply(f, config, members, opportunities, leadIds, contact.Id!, conversion: true, entry);
            ConversionOutcome OwnerOf(CrmRecord m) => outcomes.FirstOrDefault(o => string.Equals(m.GetString("LeadId"), o.Lead.Id, StringComparison.Ordinal) && m.GetString("ContactId") == null) ?? first;
            foreach (var m in recovery.Destroyed) OwnerOf(m).DestroyedMemberships.Add(m);
            foreach (var d in f.DestroyedMemberships)
            {
                var owner = OwnerOf(d.Member);
                var reinsertedId = d.ReinsertedCampaignId == null ? null : ProvisionalId("00v", d.MemberId + "@" + d.ReinsertedCampaignId);
                var reinserted = recovery.Reinserted.FirstOrDefault(r => reinsertedId != null && string.Equals(r.Id, reinsertedId, StringComparison.Ordinal));
                if (reinserted != null) owner.ReinsertedMemberships.Add(reinserted);
                if (d.Archived && d.OpportunityId != null)
                {
                    var archived = recovery.OpportunitiesArchived.FirstOrDefault(o => string.Equals(o.Id, d.OpportunityId, StringComparison.Ordinal));
                    if (archived != null && !outcomes.Any(o => o.OpportunitiesArchived.Contains(archived))) owner.OpportunitiesArchived.Add(archived);
                }
            }
            first.Warnings.AddRange(f.Warnings);

            var destroyed = new HashSet<string>(f.DestroyedMemberships.Select(d => d.MemberId), StringComparer.Ordinal);
            var resolved = f.ResolvedResponses.ToDictionary(r => r.MemberId, r => r.NewStatus, StringComparer.Ordinal);
            var responseField = config.ResponseStatusField;
            foreach (var o in outcomes)
            {
                var leadId = o.Lead.Id!;
                foreach (var child in _childrenByPerson.TryGetValue(leadId, out var own) ? own : new List<CrmRecord>())
                {
                    if (destroyed.Contains(child.Id ?? string.Empty)) continue;
                    var moved = child.Clone();
                    if (ObjectTypes.SameType(child.ObjectType, "CampaignMember"))
                    {
                        if (!string.Equals(child.GetString("LeadId"), leadId, StringComparison.Ordinal)) continue;
                        moved.Set("ContactId", contact.Id);
                        if (child.Id != null && resolved.ContainsKey(child.Id)) entry.Before.Add(child.Clone());
                    }
                    else if (string.Equals(child.GetString("WhoId"), leadId, StringComparison.Ordinal))
                    {
                        moved.Set("WhoId", contact.Id);
                    }
                    else
                    {
                        continue;
                    }
                    if (child.Id != null && resolved.TryGetValue(child.Id, out var status)) moved.Set(responseField, status);
                    o.MovedChildren.Add(moved);
                }
            }
            // The contact's own responses that the rules resolve are updated in place.
            foreach (var m in members.Where(m => m.Id != null && resolved.ContainsKey(m.Id) && string.Equals(m.GetString("ContactId"), contact.Id, StringComparison.Ordinal) && !destroyed.Contains(m.Id)))
            {
                var updated = m.Clone();
                updated.Set(responseField, resolved[m.Id!]);
                entry.Before.Add(m.Clone());
                first.MovedChildren.Add(updated);
            }
            if (entry.Destroyed.Count > 0 || entry.Created.Count > 0 || resolved.Count > 0 || (statusChanged && !first.ContactIsNew))
            {
                entry.Before.Insert(0, contactBefore);
                first.Journal = entry;
            }
            foreach (var o in outcomes)
            {
                if (outcomes.Count > 1) o.Notes.Add($"Decided together with the {outcomes.Count - 1} other lead(s) converted into contact {contact.Id} in this run ({string.Join(", ", outcomes.Where(x => x != o).Select(x => x.Lead.Id))}).");
                o.Notes.Add(f.Reason);
                if (statusChanged && !_options.WriteContactStatus) o.Notes.Add($"The contact status '{f.SurvivingStatus}' is the expected outcome; it is not written to the change files (let Funnel Metrics set it; -WriteContactStatus writes it).");
            }
        }

        private CrmRecord Existing(string id, string type, string errorId)
        {
            if (_existing.TryGetValue(id, out var record) && (record.ObjectType == null || ObjectTypes.SameType(record.ObjectType, type))) return record;
            throw new ConversionException(errorId, $"{type} {id} is not among the existing records given (-ExistingRecord); pass it so blank fields can be filled and nothing is overwritten blindly.");
        }

        private void FillBlanks(CrmRecord lead, CrmRecord target, IReadOnlyList<KeyValuePair<string, string>> map, string label, ConversionOutcome outcome, bool isContact)
        {
            foreach (var pair in map)
            {
                var to = pair.Value;
                if (IsIdField(to)) continue;
                if (isContact && (string.Equals(to, "HasOptedOutOfEmail", StringComparison.OrdinalIgnoreCase) || string.Equals(to, "DoNotCall", StringComparison.OrdinalIgnoreCase))) continue;
                if (!lead.TryGet(pair.Key, out var value) || RecordValue.IsBlank(value)) continue;
                var isLeadSource = string.Equals(to, "LeadSource", StringComparison.OrdinalIgnoreCase) || string.Equals(to, "AccountSource", StringComparison.OrdinalIgnoreCase);
                var current = target[to];
                if (!RecordValue.IsBlank(current) && !(isLeadSource && _options.OverwriteLeadSource)) continue;
                if (Equals(current, value)) continue;
                target.Set(to, value);
                outcome.FilledFields.Add(label + "." + to);
                if (!outcome.ChangedOnExisting.TryGetValue(label, out var list)) outcome.ChangedOnExisting[label] = list = new List<string>();
                list.Add(to);
            }
        }

        // Lookup and id fields are never copied into existing records (SPEC 3: "never touches ids").
        private static bool IsIdField(string name) => name.EndsWith("Id", StringComparison.OrdinalIgnoreCase);

        private static void Copy(CrmRecord lead, CrmRecord target, IReadOnlyList<KeyValuePair<string, string>> map)
        {
            foreach (var pair in map)
            {
                if (lead.TryGet(pair.Key, out var value) && !RecordValue.IsBlank(value)) target.Set(pair.Value, value);
            }
        }

        private void MoveChildren(string leadId, string contactId, ConversionOutcome outcome)
        {
            if (!_childrenByPerson.TryGetValue(leadId, out var children)) return;
            _childrenByPerson.TryGetValue(contactId, out var contactChildren);
            var contactCampaigns = new HashSet<string>(
                (contactChildren ?? new List<CrmRecord>()).Where(c => ObjectTypes.SameType(c.ObjectType, "CampaignMember") && c.GetString("CampaignId") != null).Select(c => c.GetString("CampaignId")!),
                StringComparer.Ordinal);
            foreach (var child in children)
            {
                if (ObjectTypes.SameType(child.ObjectType, "CampaignMember"))
                {
                    if (!string.Equals(child.GetString("LeadId"), leadId, StringComparison.Ordinal)) continue;
                    var campaign = child.GetString("CampaignId");
                    if (campaign != null && contactCampaigns.Contains(campaign))
                    {
                        outcome.Notes.Add($"Campaign member {child.Id} (campaign {campaign}) was not moved: the contact is already a member of that campaign; with a funnel configuration the merge rules decide (SPEC 5.4), without one the contact's membership is kept.");
                        continue;
                    }
                    var moved = child.Clone();
                    moved.Set("ContactId", contactId); // Salesforce keeps LeadId on the member and sets ContactId.
                    outcome.MovedChildren.Add(moved);
                }
                else if (string.Equals(child.GetString("WhoId"), leadId, StringComparison.Ordinal))
                {
                    var moved = child.Clone();
                    moved.Set("WhoId", contactId);
                    outcome.MovedChildren.Add(moved);
                }
            }
        }

        private string OpportunityName(CrmRecord lead)
        {
            var template = _options.OpportunityName;
            var result = new System.Text.StringBuilder();
            for (var i = 0; i < template.Length; i++)
            {
                var c = template[i];
                var close = c == '{' ? template.IndexOf('}', i + 1) : -1;
                if (close > i)
                {
                    result.Append(lead.GetString(template.Substring(i + 1, close - i - 1)) ?? string.Empty);
                    i = close;
                }
                else
                {
                    result.Append(c);
                }
            }
            var name = result.ToString().Trim();
            return name.Length == 0 || name == "-" ? ((lead.GetString("FirstName") + " " + lead.GetString("LastName")).Trim() + "-") : name;
        }

        private static string Describe(ConversionOutcome o, string leadId)
        {
            var contact = o.ContactIsNew ? $"new contact {o.Contact.Id}" : $"existing contact {o.Contact.Id}";
            var account = o.IsPersonAccount ? (o.AccountIsNew ? $"new person account {o.Account.Id}" : $"person account {o.Account.Id}") : o.AccountIsNew ? $"new account {o.Account.Id}" : $"existing account {o.Account.Id}";
            var opp = o.Opportunity != null ? $", opportunity {o.Opportunity.Id}" : ", no opportunity";
            var filled = o.FilledFields.Count > 0 ? $"; filled blank {string.Join(", ", o.FilledFields)}" : string.Empty;
            var moved = o.MovedChildren.Count > 0 ? $"; moved {o.MovedChildren.Count} campaign member(s)/activit(ies)" : string.Empty;
            return $"Lead {leadId} converted into {contact} on {account}{opp}{filled}{moved}.";
        }

        private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s!.Trim();

        private static bool IsTrue(object? value) => value switch
        {
            bool b => b,
            string s => string.Equals(s, "true", StringComparison.OrdinalIgnoreCase) || s == "1",
            long l => l != 0,
            _ => false,
        };

        /// <summary>
        /// A provisional 18-character id for a record created offline: the object's key prefix, "LT", and 13
        /// characters derived from the lead id, so the same lead always gets the same ids.
        /// </summary>
        public static string ProvisionalId(string keyPrefix, string leadId)
        {
            const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
            ulong hash = 14695981039346656037UL;
            foreach (var c in keyPrefix + leadId)
            {
                hash ^= c;
                hash *= 1099511628211UL;
            }
            var chars = new char[13];
            for (var i = 12; i >= 0; i--)
            {
                chars[i] = alphabet[(int)(hash % 62)];
                hash /= 62;
                if (hash == 0) hash = 0x9E3779B97F4A7C15UL ^ (ulong)i;
            }
            return keyPrefix + "LT" + new string(chars);
        }
    }
}
