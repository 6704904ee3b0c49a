using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LeadTools.Core.Records;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Matching
{
    /// <summary>What was found or done for an orphaned lead.</summary>
    public enum OrphanAction
    {
        /// <summary>A matching contact was found; the lead is linked to it.</summary>
        LinkedToContact,
        /// <summary>No contact matched; a marketing-only contact was made and the lead linked to it.</summary>
        CreatedMarketingContact,
        /// <summary>An account-based lead whose account has no contact (reported, not changed).</summary>
        AccountWithoutContact,
    }

    /// <summary>The outcome for one lead.</summary>
    public sealed class OrphanOutcome
    {
        internal OrphanOutcome(OrphanAction action, CrmRecord lead, CrmRecord? contact, MatchResult? match, string? accountId, string reason, IReadOnlyList<DataverseRequest>? requests = null)
        {
            Action = action;
            Lead = lead;
            Contact = contact;
            Match = match;
            AccountId = accountId;
            Reason = reason;
            Requests = requests ?? Array.Empty<DataverseRequest>();
        }

        /// <summary>
        /// For Dataverse: the Web API requests that apply the outcome, in order (POST of the new contact, then PATCH
        /// of the lead's contact lookup with <c>@odata.bind</c>). Empty for Salesforce and for reports.
        /// </summary>
        public IReadOnlyList<DataverseRequest> Requests { get; }

        /// <summary>What was found or done.</summary>
        public OrphanAction Action { get; }
        /// <summary>The lead (a linked copy for the two link actions).</summary>
        public CrmRecord Lead { get; }
        /// <summary>The matched or new contact.</summary>
        public CrmRecord? Contact { get; }
        /// <summary>The match, when a contact matched.</summary>
        public MatchResult? Match { get; }
        /// <summary>The lead's account (account-based leads).</summary>
        public string? AccountId { get; }
        /// <summary>The decision in words.</summary>
        public string Reason { get; }
    }

    /// <summary>
    /// Orphaned leads and marketing-only contacts (SPEC 6.4): each lead without a contact (blank lookup field) is
    /// linked to a matching contact, or to a new contact flagged marketing-only; new contacts are matched by later
    /// leads, so one person gets one contact. Account-based leads (account lookup set) whose account has no contact
    /// among the contacts given are reported.
    /// </summary>
    public sealed class OrphanedLeadLinker
    {
        /// <summary>
        /// Contact fields that name the contact's account (Salesforce AccountId; Dataverse parentcustomerid in any Web API
        /// form, when it points to an account, and the older accountid).
        /// </summary>
        public static readonly string[] ContactAccountFields = { "AccountId", "parentcustomerid", "parentcustomerid_account", "accountid" };

        private readonly MatchStrategy _strategy;
        private readonly DuplicateFinder _blocks;
        private readonly List<MatchKey> _contacts = new List<MatchKey>();
        private readonly Dictionary<string, List<int>> _index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        private readonly HashSet<string> _accountsWithContacts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private int _created;

        /// <summary>Creates a linker.</summary>
        /// <remarks>
        /// With <paramref name="dataverse"/>, new contacts get name-based GUIDs (the same lead gives the same contact id on
        /// every run), lookups are written as the Web API reads them (<c>_parentcontactid_value</c>) and each outcome
        /// carries its Web API requests; otherwise new contacts get Salesforce-style provisional ids (003LTnew...).
        /// </remarks>
        public OrphanedLeadLinker(MatchStrategy strategy, string contactField = "parentcontactid", string marketingOnlyField = "msdyncrm_marketingonly", string accountField = "parentaccountid", bool dataverse = false)
        {
            _strategy = strategy;
            _blocks = new DuplicateFinder(strategy);
            ContactField = contactField;
            MarketingOnlyField = marketingOnlyField;
            AccountField = accountField;
            Dataverse = dataverse;
        }

        /// <summary>Records are Dataverse Web API records (GUIDs, <c>_x_value</c> lookups, request bodies).</summary>
        public bool Dataverse { get; }

        /// <summary>The lead's lookup to its contact.</summary>
        public string ContactField { get; }
        /// <summary>The flag set to true on new marketing-only contacts.</summary>
        public string MarketingOnlyField { get; }
        /// <summary>The lead's lookup to its account (account-based leads).</summary>
        public string AccountField { get; }

        /// <summary>Adds an existing contact.</summary>
        public void AddContact(CrmRecord contact)
        {
            foreach (var f in ContactAccountFields)
            {
                var a = DataverseWebApi.GetLookup(contact, f);
                if (string.IsNullOrWhiteSpace(a)) continue;
                // parentcustomerid may point to a contact (the Web API annotates the table): only an account counts.
                var table = f.StartsWith("parentcustomerid", StringComparison.OrdinalIgnoreCase) ? DataverseWebApi.LookupTable(contact, "parentcustomerid") : null;
                if (table != null && !string.Equals(table, "account", StringComparison.OrdinalIgnoreCase)) continue;
                _accountsWithContacts.Add(a!);
            }
            var key = _strategy.Normalise(contact);
            var i = _contacts.Count;
            _contacts.Add(key);
            foreach (var b in _blocks.BlockKeys(key))
            {
                if (!_index.TryGetValue(b, out var list)) _index[b] = list = new List<int>(2);
                list.Add(i);
            }
        }

        /// <summary>
        /// The outcomes for one lead, judged against the contacts known so far: none for a lead already linked with its
        /// account covered; up to two otherwise. <see cref="ProcessAll"/> judges accounts after every lead is linked.
        /// </summary>
        public IEnumerable<OrphanOutcome> Process(CrmRecord lead)
        {
            var results = new List<OrphanOutcome>(2);
            var link = Link(lead);
            if (link != null) results.Add(link);
            var report = AccountReport(lead);
            if (report != null) results.Add(report);
            return results;
        }

        /// <summary>
        /// Links every orphaned lead first, then reports the account-based leads whose account still has no contact:
        /// a marketing-only contact made for a later lead of the account covers the account for the earlier leads too.
        /// Outcomes come in lead order (a lead's link, then its report).
        /// </summary>
        public IReadOnlyList<OrphanOutcome> ProcessAll(IEnumerable<CrmRecord> leads)
        {
            var list = leads.ToList();
            var links = list.Select(Link).ToList();
            var results = new List<OrphanOutcome>();
            for (var i = 0; i < list.Count; i++)
            {
                if (links[i] != null) results.Add(links[i]!);
                var report = AccountReport(list[i]);
                if (report != null) results.Add(report);
            }
            return results;
        }

        private OrphanOutcome? AccountReport(CrmRecord lead)
        {
            var account = DataverseWebApi.GetLookup(lead, AccountField);
            if (string.IsNullOrWhiteSpace(account) || _accountsWithContacts.Contains(account!)) return null;
            return new OrphanOutcome(OrphanAction.AccountWithoutContact, lead, null, null, account,
                $"Lead {lead.Id} is account-based ({AccountField} {account}) but the account has no contact among the contacts given.");
        }

        private OrphanOutcome? Link(CrmRecord lead)
        {
            var account = DataverseWebApi.GetLookup(lead, AccountField);
            OrphanOutcome? result = null;
            // An already linked lead is left alone, whichever form its lookup takes (Web API _parentcontactid_value,
            // an expanded parentcontactid object, parentcontactid@odata.bind, or a plain id).
            if (string.IsNullOrWhiteSpace(DataverseWebApi.GetLookup(lead, ContactField)))
            {
                var key = _strategy.Normalise(lead);
                var scratch = _strategy.CreateScratch();
                var seen = new HashSet<int>();
                (int Index, MatchResult Match)? best = null;
                foreach (var b in _blocks.BlockKeys(key))
                {
                    if (!_index.TryGetValue(b, out var list)) continue;
                    foreach (var i in list)
                    {
                        if (!seen.Add(i)) continue;
                        var m = _strategy.Match(key, _contacts[i], scratch);
                        if (m != null && (best == null || m.Score > best.Value.Match.Score)) best = (i, m);
                    }
                }
                var linked = Copy(lead);
                if (best != null)
                {
                    var contact = _contacts[best.Value.Index].Record;
                    DataverseWebApi.SetLookup(linked, ContactField, contact.Id!, Dataverse);
                    result = new OrphanOutcome(OrphanAction.LinkedToContact, linked, contact, best.Value.Match, account,
                        $"Lead {lead.Id} had no contact; contact {contact.Id} matched by rule {best.Value.Match.Rule} (score {Format(best.Value.Match.Score)}): {ContactField} set.",
                        Dataverse ? Requests(lead, LeadUpdate(lead, contact.Id!)) : null);
                }
                else
                {
                    var contact = NewContact(lead, account);
                    DataverseWebApi.SetLookup(linked, ContactField, contact.Id!, Dataverse);
                    AddContact(contact);
                    result = new OrphanOutcome(OrphanAction.CreatedMarketingContact, linked, contact, null, account,
                        $"Lead {lead.Id} had no contact and none matched under {_strategy.Name}: new contact {contact.Id} with {MarketingOnlyField} = true, {ContactField} set"
                        + (string.IsNullOrWhiteSpace(account) ? "." : $"; the contact is attached to the lead's account {account} ({(Dataverse ? "parentcustomerid" : "AccountId")}), so the account has a contact."),
                        Dataverse ? Requests(lead, ContactCreate(contact, account, lead.Id), LeadUpdate(lead, contact.Id!)) : null);
                }
            }
            return result;
        }

        // A lead without an id (a hand-made record) cannot be addressed: its PATCH is left out, never sent to "leads()".
        private static DataverseRequest[] Requests(CrmRecord lead, params DataverseRequest[] requests) =>
            string.IsNullOrWhiteSpace(lead.Id) ? requests.Where(r => r.Method != "PATCH").ToArray() : requests;

        // PATCH leads(id) { "parentcontactid@odata.bind": "/contacts(guid)" }, If-Match the exported etag.
        private DataverseRequest LeadUpdate(CrmRecord lead, string contactId)
        {
            var body = new JObject { [DataverseWebApi.LogicalName(ContactField) + "@odata.bind"] = DataverseWebApi.Bind("contact", contactId) };
            return DataverseRequest.Update("lead", lead.Id ?? string.Empty, body, lead.GetString("@odata.etag"));
        }

        // POST contacts { contactid, names, email, phone, marketing-only flag, parentcustomerid_account@odata.bind, originatingleadid@odata.bind }.
        private DataverseRequest ContactCreate(CrmRecord contact, string? account, string? leadId)
        {
            var body = new JObject();
            foreach (var kv in contact)
            {
                if (DataverseWebApi.IsAnnotation(kv.Key) || kv.Key.StartsWith("_", StringComparison.Ordinal)) continue;
                body[kv.Key] = kv.Value == null ? JValue.CreateNull() : JToken.FromObject(kv.Value);
            }
            if (!string.IsNullOrWhiteSpace(account)) body["parentcustomerid_account@odata.bind"] = DataverseWebApi.Bind("account", account!);
            if (!string.IsNullOrWhiteSpace(leadId)) body["originatingleadid@odata.bind"] = DataverseWebApi.Bind("lead", leadId!);
            return DataverseRequest.Create("contact", body);
        }

        private CrmRecord NewContact(CrmRecord lead, string? account)
        {
            CrmRecord c;
            _created++;
            if (Dataverse)
            {
                // A GUID named after the lead: a re-run makes the same contact id, so posting it twice fails on the key
                // rather than creating a second contact. No Salesforce-style provisional id for a Dataverse record.
                c = new CrmRecord("contact", 10) { IdField = "contactid" };
                c.Add("contactid", DataverseWebApi.NameBasedGuid("marketing-only contact for lead " + (lead.Id ?? "#" + _created.ToString(CultureInfo.InvariantCulture))).ToString());
            }
            else
            {
                c = new CrmRecord("Contact", 10);
                c.Add("Id", "003LTnew" + _created.ToString("D10", CultureInfo.InvariantCulture));
            }
            foreach (var field in new[] { MatchField.FirstName, MatchField.LastName, MatchField.Email, MatchField.Phone })
            {
                foreach (var name in _strategy.FieldNames[field])
                {
                    var v = lead.GetString(name);
                    if (string.IsNullOrWhiteSpace(v)) continue;
                    c.Add(lead.NameAt(lead.IndexOf(name)), v);
                    break;
                }
            }
            c.Add(MarketingOnlyField, true);
            if (Dataverse)
            {
                // Read back as the Web API returns it: the lookup value with its table, so the contact covers the account.
                if (!string.IsNullOrWhiteSpace(account))
                {
                    c.Add("_parentcustomerid_value", account);
                    c.Add("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname", "account");
                }
                c.Add("_originatingleadid_value", lead.Id);
            }
            else
            {
                if (!string.IsNullOrWhiteSpace(account)) c.Add("AccountId", account);
                c.Add("OriginatingLeadId", lead.Id);
            }
            return c;
        }

        private static CrmRecord Copy(CrmRecord r)
        {
            var c = new CrmRecord(r.ObjectType, r.Count + 2) { IdField = r.IdField };
            for (var i = 0; i < r.Count; i++) c.Add(r.NameAt(i), r.ValueAt(i));
            return c;
        }

        private static string Format(double d) => Math.Round(d, 1).ToString("0.#", CultureInfo.InvariantCulture);
    }
}
