using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LeadTools.Core.Records;

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
        internal OrphanOutcome(OrphanAction action, CrmRecord lead, CrmRecord? contact, MatchResult? match, string? accountId, string reason)
        {
            Action = action;
            Lead = lead;
            Contact = contact;
            Match = match;
            AccountId = accountId;
            Reason = reason;
        }

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
        /// <summary>Contact fields that name the contact's account (Salesforce, Dataverse).</summary>
        public static readonly string[] ContactAccountFields = { "AccountId", "parentcustomerid", "_parentcustomerid_value" };

        private readonly MatchStrategy _strategy;
        private readonly DuplicateFinder _blocks;
        private readonly List<MatchKey> _contacts = new List<MatchKey>();
        private readonly Dictionary<string, List<int>> _index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        private readonly HashSet<string> _accountsWithContacts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private int _created;

        /// <summary>Creates a linker.</summary>
        public OrphanedLeadLinker(MatchStrategy strategy, string contactField = "parentcontactid", string marketingOnlyField = "msdyncrm_marketingonly", string accountField = "parentaccountid")
        {
            _strategy = strategy;
            _blocks = new DuplicateFinder(strategy);
            ContactField = contactField;
            MarketingOnlyField = marketingOnlyField;
            AccountField = accountField;
        }

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
                var a = contact.GetString(f);
                if (!string.IsNullOrWhiteSpace(a)) _accountsWithContacts.Add(a!);
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

        /// <summary>The outcomes for one lead: none for a lead already linked with its account covered; up to two otherwise.</summary>
        public IEnumerable<OrphanOutcome> Process(CrmRecord lead)
        {
            var account = lead.GetString(AccountField);
            var results = new List<OrphanOutcome>(2);
            if (string.IsNullOrWhiteSpace(lead.GetString(ContactField)))
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
                    linked.Set(ContactField, contact.Id);
                    results.Add(new OrphanOutcome(OrphanAction.LinkedToContact, linked, contact, best.Value.Match, account,
                        $"Lead {lead.Id} had no contact; contact {contact.Id} matched by rule {best.Value.Match.Rule} (score {Format(best.Value.Match.Score)}): {ContactField} set."));
                }
                else
                {
                    var contact = NewContact(lead, account);
                    linked.Set(ContactField, contact.Id);
                    AddContact(contact);
                    results.Add(new OrphanOutcome(OrphanAction.CreatedMarketingContact, linked, contact, null, account,
                        $"Lead {lead.Id} had no contact and none matched under {_strategy.Name}: new contact {contact.Id} with {MarketingOnlyField} = true, {ContactField} set."));
                }
            }
            if (!string.IsNullOrWhiteSpace(account) && !_accountsWithContacts.Contains(account!))
            {
                results.Add(new OrphanOutcome(OrphanAction.AccountWithoutContact, lead, null, null, account,
                    $"Lead {lead.Id} is account-based ({AccountField} {account}) but the account has no contact among the contacts given."));
            }
            return results;
        }

        private CrmRecord NewContact(CrmRecord lead, string? account)
        {
            var c = new CrmRecord("Contact", 8);
            _created++;
            c.Add("Id", "003LTnew" + _created.ToString("D10", CultureInfo.InvariantCulture));
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
            c.Add("OriginatingLeadId", lead.Id);
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
