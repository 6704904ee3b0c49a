using System;
using System.Collections.Generic;
using System.Globalization;
using LeadTools.Core.Records;

namespace LeadTools.DataGen
{
    /// <summary>
    /// The synthetic org: every record of every object is a pure function of (seed, position), so files
    /// of any size stream out in constant memory and any record can be regenerated alone.
    /// Duplicates: a record at position p is, with probability <see cref="DuplicateRate"/>, a noisy copy of
    /// the person of an earlier record (chosen within a window, so copies are spread through the file,
    /// not next to their original); chains of copies resolve to the first record, the cluster's origin.
    /// </summary>
    internal sealed class SyntheticCrm
    {
        // Streams: independent random sequences, one per thing drawn.
        private const ulong LeadLayoutStream = 1, LeadPersonStream = 2, LeadRenderStream = 3;
        private const ulong ContactLayoutStream = 4, ContactPersonStream = 5, ContactRenderStream = 6;
        private const ulong AccountLayoutStream = 7, AccountPersonStream = 8, AccountRenderStream = 9;
        private const ulong CampaignStream = 10, OpportunityStream = 11, MemberStream = 12, TaskStream = 13, EmailStream = 14, ContactAccountStream = 15;

        /// <summary>How far back (in records) a copy's original may be.</summary>
        private const int Window = 250_000;

        private static readonly DateTime End = new DateTime(2025, 6, 30, 23, 59, 59, DateTimeKind.Utc);

        public const string IndividualEmailResult = "et4ae5__IndividualEmailResult__c";

        private readonly long _idBase;

        public SyntheticCrm(int seed, long leadCount, double duplicateRate)
        {
            if (leadCount < 0) throw new ArgumentOutOfRangeException(nameof(leadCount));
            if (duplicateRate < 0 || duplicateRate >= 1) throw new ArgumentOutOfRangeException(nameof(duplicateRate), "The duplicate rate is a fraction in [0, 1).");
            Seed = seed;
            LeadCount = leadCount;
            DuplicateRate = duplicateRate;
            // Ids differ between seeds: 1e10 numbers per seed, within the 9 base-62 digits of an id.
            _idBase = (long)((uint)seed % 1_000_000u) * 10_000_000_000L;
            AccountCount = Math.Max(10, leadCount / 10);
            ContactCount = Math.Max(20, leadCount / 2);
            CampaignCount = (int)Math.Min(500, Math.Max(5, leadCount / 5000));
            OpportunityCount = AccountCount * 4 / 5;
        }

        public int Seed { get; }
        public long LeadCount { get; }
        public double DuplicateRate { get; }
        public long AccountCount { get; }
        public long ContactCount { get; }
        public int CampaignCount { get; }
        public long OpportunityCount { get; }

        // ------------------------------------------------------------------ ids

        public string LeadId(long p) => SalesforceIds.Make("00Q", _idBase + p);
        public string ContactId(long j) => SalesforceIds.Make("003", _idBase + j);
        public string PersonContactId(long a) => SalesforceIds.Make("003", _idBase + 5_000_000_000L + a);
        public string AccountId(long a) => SalesforceIds.Make("001", _idBase + a);
        public string CampaignId(long c) => SalesforceIds.Make("701", _idBase + c);
        public string OpportunityId(long o) => SalesforceIds.Make("006", _idBase + o);
        public string UserId(int u) => SalesforceIds.Make("005", _idBase + u);
        private string MemberId(long m) => SalesforceIds.Make("00v", _idBase + m);
        private string TaskId(long t) => SalesforceIds.Make("00T", _idBase + t);
        private string EmailResultId(long e) => SalesforceIds.Make("a1C", _idBase + e);

        // ------------------------------------------------------------------ who is who

        /// <summary>The person a record renders and the id of that person's first record (the cluster id).</summary>
        public struct Entity
        {
            public Entity(ulong stream, long key, string originId)
            {
                Stream = stream;
                Key = key;
                OriginId = originId;
            }

            public ulong Stream { get; }
            public long Key { get; }
            public string OriginId { get; }
        }

        /// <summary>The first lead of the cluster lead <paramref name="p"/> belongs to (p itself when it is no copy).</summary>
        public long LeadOrigin(long p)
        {
            while (p > 0)
            {
                var r = SeededRandom.For(Seed, LeadLayoutStream, p);
                if (!r.Chance(DuplicateRate)) break;
                p -= 1 + r.NextLong(Math.Min(p, Window));
            }
            return p;
        }

        public Entity LeadEntity(long p)
        {
            var o = LeadOrigin(p);
            return new Entity(LeadPersonStream, o, LeadId(o));
        }

        /// <summary>Contacts: some are leads' people (the lead came back as a contact), some copy earlier contacts.</summary>
        public Entity ContactEntity(long j)
        {
            while (true)
            {
                var r = SeededRandom.For(Seed, ContactLayoutStream, j);
                if (LeadCount > 0 && r.Chance(0.08)) return LeadEntity(r.NextLong(LeadCount));
                if (j > 0 && r.Chance(DuplicateRate / 2))
                {
                    j -= 1 + r.NextLong(Math.Min(j, Window));
                    continue;
                }
                return new Entity(ContactPersonStream, j, ContactId(j));
            }
        }

        public bool IsPersonAccount(long a) => a != 0 && SeededRandom.For(Seed, AccountLayoutStream, a).Chance(0.2);

        /// <summary>A person account's person: sometimes a lead's person (the same customer, also a lead).</summary>
        public Entity PersonAccountEntity(long a)
        {
            var r = SeededRandom.For(Seed, AccountLayoutStream, a);
            r.NextDouble();
            if (LeadCount > 0 && r.Chance(0.15)) return LeadEntity(r.NextLong(LeadCount));
            return new Entity(AccountPersonStream, a, AccountId(a));
        }

        private Person PersonOf(Entity e) => Person.Create(Seed, e.Stream, e.Key);

        /// <summary>Business accounts are companies: account a is company a (mod the number of companies).</summary>
        private Person CompanyOf(long a) => Person.CreateAt(Seed, AccountPersonStream, a, (int)(a % Person.CompanyCount));

        /// <summary>The business account of a person's company when the org has it, else some business account.</summary>
        private long AccountFor(Person p, SeededRandom r)
        {
            long a = p.CompanyIndex;
            if (a < AccountCount && !IsPersonAccount(a)) return a;
            a = r.NextLong(AccountCount);
            while (IsPersonAccount(a)) a = (a + 1) % AccountCount;
            return a;
        }

        /// <summary>The account contact <paramref name="j"/> belongs to.</summary>
        public long ContactAccount(long j) => AccountFor(PersonOf(ContactEntity(j)), SeededRandom.For(Seed, ContactAccountStream, j));

        // ------------------------------------------------------------------ records

        /// <summary>Lead <paramref name="p"/>; <paramref name="originId"/> is the id of its cluster's first lead (its own id when no copy).</summary>
        public CrmRecord Lead(long p, out string originId)
        {
            var entity = LeadEntity(p);
            originId = entity.OriginId;
            var person = PersonOf(entity);
            var copy = entity.Key != p;
            var r = SeededRandom.For(Seed, LeadRenderStream, p);
            var v = PersonView.Render(person, r, copy);
            var created = copy ? Later(person.Created, r, 900) : person.Created;
            var rec = new CrmRecord("Lead", 18);
            rec.Add("Id", LeadId(p));
            rec.Add("FirstName", v.First);
            rec.Add("LastName", v.Last);
            rec.Add("Email", v.Email);
            rec.Add("Phone", v.Phone);
            rec.Add("Company", v.Company);
            rec.Add("Title", v.Title);
            rec.Add("Street", v.Street);
            rec.Add("City", v.City);
            rec.Add("State", v.State);
            rec.Add("PostalCode", v.Postal);
            rec.Add("Country", v.Country);
            rec.Add("LeadSource", Vocabulary.LeadSources[r.PickWeighted(Vocabulary.LeadSourceWeights)]);
            rec.Add("Status", Vocabulary.LeadStatuses[r.PickWeighted(Vocabulary.LeadStatusWeights)]);
            rec.Add("NumberOfEmployees", copy && r.Chance(0.2) ? null : (object)person.Employees);
            rec.Add("CreatedDate", Stamp(created));
            rec.Add("LastModifiedDate", Stamp(Later(created, r, 400)));
            rec.Add("OwnerId", UserId(copy ? r.Next(40) : person.Owner));
            return rec;
        }

        public CrmRecord Contact(long j, out string originId, out long accountIndex)
        {
            var entity = ContactEntity(j);
            originId = entity.OriginId;
            var person = PersonOf(entity);
            var copy = entity.Stream != ContactPersonStream || entity.Key != j;
            var r = SeededRandom.For(Seed, ContactRenderStream, j);
            var v = PersonView.Render(person, r, copy);
            accountIndex = AccountFor(person, SeededRandom.For(Seed, ContactAccountStream, j));
            var created = copy ? Later(person.Created, r, 900) : person.Created;
            var rec = new CrmRecord("Contact", 19);
            rec.Add("Id", ContactId(j));
            rec.Add("AccountId", AccountId(accountIndex));
            rec.Add("FirstName", v.First);
            rec.Add("LastName", v.Last);
            rec.Add("Email", v.Email);
            rec.Add("Phone", v.Phone);
            rec.Add("MobilePhone", v.Mobile);
            rec.Add("Title", v.Title);
            rec.Add("MailingStreet", v.Street);
            rec.Add("MailingCity", v.City);
            rec.Add("MailingState", v.State);
            rec.Add("MailingPostalCode", v.Postal);
            rec.Add("MailingCountry", v.Country);
            rec.Add("LeadSource", Vocabulary.LeadSources[r.PickWeighted(Vocabulary.LeadSourceWeights)]);
            rec.Add("HasOptedOutOfEmail", r.Chance(0.06));
            rec.Add("CreatedDate", Stamp(created));
            rec.Add("LastModifiedDate", Stamp(Later(created, r, 400)));
            rec.Add("OwnerId", UserId(person.Owner));
            return rec;
        }

        /// <summary>Account <paramref name="a"/>: a company, or a person account (then <paramref name="originId"/> is its person's cluster id).</summary>
        public CrmRecord Account(long a, out string? originId)
        {
            var r = SeededRandom.For(Seed, AccountRenderStream, a);
            var rec = new CrmRecord("Account", 20);
            rec.Add("Id", AccountId(a));
            if (!IsPersonAccount(a))
            {
                originId = null;
                var company = CompanyOf(a);
                var v = PersonView.Render(company, r, false);
                rec.Add("Name", company.CanonicalCompany);
                rec.Add("IsPersonAccount", false);
                rec.Add("Type", r.Pick(new[] { "Customer - Direct", "Customer - Channel", "Prospect", "Partner", "Other" }));
                rec.Add("Industry", company.Industry);
                rec.Add("NumberOfEmployees", company.Employees);
                rec.Add("Website", r.Chance(0.85) ? "www." + company.CompanyDomain : null);
                rec.Add("Phone", v.Phone);
                rec.Add("BillingStreet", v.Street);
                rec.Add("BillingCity", v.City);
                rec.Add("BillingState", v.State);
                rec.Add("BillingPostalCode", v.Postal);
                rec.Add("BillingCountry", v.Country);
                rec.Add("CreatedDate", Stamp(company.Created));
                rec.Add("LastModifiedDate", Stamp(Later(company.Created, r, 400)));
                rec.Add("OwnerId", UserId(company.Owner));
                return rec;
            }
            var entity = PersonAccountEntity(a);
            originId = entity.OriginId;
            var person = PersonOf(entity);
            var copy = entity.Stream != AccountPersonStream;
            var pv = PersonView.Render(person, r, copy);
            rec.Add("Name", pv.First + " " + pv.Last);
            rec.Add("FirstName", pv.First);
            rec.Add("LastName", pv.Last);
            rec.Add("IsPersonAccount", true);
            rec.Add("PersonContactId", PersonContactId(a));
            rec.Add("PersonEmail", pv.Email);
            rec.Add("PersonMobilePhone", pv.Mobile);
            rec.Add("Phone", pv.Phone);
            rec.Add("PersonMailingStreet", pv.Street);
            rec.Add("PersonMailingCity", pv.City);
            rec.Add("PersonMailingState", pv.State);
            rec.Add("PersonMailingPostalCode", pv.Postal);
            rec.Add("PersonMailingCountry", pv.Country);
            rec.Add("PersonHasOptedOutOfEmail", r.Chance(0.05));
            rec.Add("CreatedDate", Stamp(person.Created));
            rec.Add("LastModifiedDate", Stamp(Later(person.Created, r, 400)));
            rec.Add("OwnerId", UserId(person.Owner));
            return rec;
        }

        public CrmRecord Campaign(int c)
        {
            var r = SeededRandom.For(Seed, CampaignStream, c);
            var start = new DateTime(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(r.Next(6 * 365));
            var end = start.AddDays(r.Next(1, 120));
            var type = r.Pick(Vocabulary.CampaignTypes);
            var budget = r.Next(5, 500) * 100m;
            var rec = new CrmRecord("Campaign", 12);
            rec.Add("Id", CampaignId(c));
            rec.Add("Name", start.Year.ToString(CultureInfo.InvariantCulture) + " Q" + ((start.Month - 1) / 3 + 1).ToString(CultureInfo.InvariantCulture) + " " + r.Pick(Vocabulary.CampaignTopics) + " " + type);
            rec.Add("Type", type);
            rec.Add("Status", end < new DateTime(2025, 1, 1) ? "Completed" : r.Pick(new[] { "Planned", "In Progress" }));
            rec.Add("IsActive", end >= new DateTime(2025, 1, 1));
            rec.Add("StartDate", start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            rec.Add("EndDate", end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            rec.Add("BudgetedCost", budget);
            rec.Add("ActualCost", r.Chance(0.7) ? budget * (r.Next(60, 120) / 100m) : (object?)null);
            rec.Add("ParentId", c > 0 && r.Chance(0.2) ? CampaignId(r.Next(c)) : null);
            rec.Add("CreatedDate", Stamp(start.AddDays(-r.Next(1, 60))));
            rec.Add("OwnerId", UserId(r.Next(40)));
            return rec;
        }

        public CrmRecord Opportunity(long o)
        {
            var r = SeededRandom.For(Seed, OpportunityStream, o);
            var company = CompanyOf(o);
            var personAccount = IsPersonAccount(o);
            var stage = r.Next(Vocabulary.OpportunityStages.Length);
            var created = Later(company.Created, r, 700);
            var closed = stage >= 6;
            var rec = new CrmRecord("Opportunity", 14);
            rec.Add("Id", OpportunityId(o));
            rec.Add("AccountId", AccountId(o));
            rec.Add("Name", (personAccount ? "Personal" : company.CanonicalCompany) + " - " + r.Pick(Vocabulary.Products));
            rec.Add("StageName", Vocabulary.OpportunityStages[stage]);
            rec.Add("Probability", (long)Vocabulary.StageProbabilities[stage]);
            rec.Add("Amount", r.Next(10, 2000) * 250m);
            rec.Add("CloseDate", Later(created, r, 200).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            rec.Add("IsClosed", closed);
            rec.Add("IsWon", stage == 6);
            rec.Add("CampaignId", r.Chance(0.4) ? CampaignId(r.Next(CampaignCount)) : null);
            rec.Add("LeadSource", Vocabulary.LeadSources[r.PickWeighted(Vocabulary.LeadSourceWeights)]);
            rec.Add("Type", r.Chance(0.6) ? "New Business" : "Existing Business");
            rec.Add("CreatedDate", Stamp(created));
            rec.Add("OwnerId", UserId(company.Owner));
            return rec;
        }

        /// <summary>Campaign members of every lead, then of every contact (one per campaign and person).</summary>
        public IEnumerable<CrmRecord> CampaignMembers()
        {
            long m = 0;
            for (long p = 0; p < LeadCount; p++)
            {
                var r = SeededRandom.For(Seed, MemberStream, p);
                foreach (var c in MemberCampaigns(r, r.PickWeighted(new double[] { 25, 50, 25 })))
                {
                    yield return Member(m++, c, r, LeadId(p), null, null);
                }
            }
            for (long j = 0; j < ContactCount; j++)
            {
                var r = SeededRandom.For(Seed, MemberStream, -1 - j);
                var n = r.Chance(0.6) ? 1 : 0;
                if (n == 0) continue;
                var account = ContactAccount(j);
                foreach (var c in MemberCampaigns(r, n))
                {
                    yield return Member(m++, c, r, null, ContactId(j), account < OpportunityCount ? OpportunityId(account) : null);
                }
            }
        }

        private IEnumerable<int> MemberCampaigns(SeededRandom r, int n)
        {
            if (n == 0 || CampaignCount == 0) yield break;
            var first = r.Next(CampaignCount);
            yield return first;
            if (n > 1 && CampaignCount > 1) yield return (first + 1 + r.Next(CampaignCount - 1)) % CampaignCount;
        }

        private CrmRecord Member(long m, int campaign, SeededRandom r, string? leadId, string? contactId, string? accountOpportunity)
        {
            var created = new DateTime(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(r.NextLong(6L * 365 * 24 * 3600));
            var responded = r.Chance(0.45);
            var rec = new CrmRecord("CampaignMember", 12);
            rec.Add("Id", MemberId(m));
            rec.Add("CampaignId", CampaignId(campaign));
            rec.Add("LeadId", leadId);
            rec.Add("ContactId", contactId);
            rec.Add("Status", responded ? r.Pick(new[] { "Responded", "Registered", "Attended" }) : "Sent");
            rec.Add("HasResponded", responded);
            rec.Add("FirstRespondedDate", responded ? Later(created, r, 30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null);
            rec.Add("FCRM__FCR_Response_Status__c", responded ? r.Pick(Vocabulary.ResponseStatuses) : null);
            rec.Add("FCRM__FCR_Response_Date__c", responded ? Stamp(Later(created, r, 30)) : null);
            rec.Add("FCRM__FCR_Opportunity__c", responded && accountOpportunity != null && r.Chance(0.3) ? accountOpportunity : null);
            rec.Add("CreatedDate", Stamp(created));
            rec.Add("LastModifiedDate", Stamp(Later(created, r, 200)));
            return rec;
        }

        /// <summary>Tasks logged against leads and contacts (WhoId), some on the contact's opportunity (WhatId).</summary>
        public IEnumerable<CrmRecord> Tasks()
        {
            long t = 0;
            for (long p = 0; p < LeadCount; p++)
            {
                var r = SeededRandom.For(Seed, TaskStream, p);
                if (r.Chance(0.3)) yield return Task(t++, r, LeadId(p), null);
            }
            for (long j = 0; j < ContactCount; j++)
            {
                var r = SeededRandom.For(Seed, TaskStream, -1 - j);
                if (!r.Chance(0.5)) continue;
                var account = ContactAccount(j);
                yield return Task(t++, r, ContactId(j), account < OpportunityCount && r.Chance(0.5) ? OpportunityId(account) : null);
            }
        }

        private CrmRecord Task(long t, SeededRandom r, string whoId, string? whatId)
        {
            var created = new DateTime(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(r.NextLong(6L * 365 * 24 * 3600));
            var done = r.Chance(0.7);
            var rec = new CrmRecord("Task", 11);
            rec.Add("Id", TaskId(t));
            rec.Add("WhoId", whoId);
            rec.Add("WhatId", whatId);
            rec.Add("Subject", r.Pick(Vocabulary.TaskSubjects));
            rec.Add("Type", r.Pick(new[] { "Call", "Email", "Meeting", "Other" }));
            rec.Add("Status", done ? "Completed" : r.Pick(new[] { "Not Started", "In Progress", "Waiting on someone else" }));
            rec.Add("Priority", r.Chance(0.2) ? "High" : "Normal");
            rec.Add("ActivityDate", Later(created, r, 30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            rec.Add("IsClosed", done);
            rec.Add("CreatedDate", Stamp(created));
            rec.Add("OwnerId", UserId(r.Next(40)));
            return rec;
        }

        /// <summary>Marketing Cloud Connect sends: individual email results per lead and contact.</summary>
        public IEnumerable<CrmRecord> EmailResults()
        {
            long e = 0;
            for (long p = 0; p < LeadCount; p++)
            {
                var r = SeededRandom.For(Seed, EmailStream, p);
                var n = r.Chance(0.6) ? r.Next(1, 3) : 0;
                for (var i = 0; i < n; i++) yield return EmailResult(e++, r, LeadId(p), null);
            }
            for (long j = 0; j < ContactCount; j++)
            {
                var r = SeededRandom.For(Seed, EmailStream, -1 - j);
                if (r.Chance(0.5)) yield return EmailResult(e++, r, null, ContactId(j));
            }
        }

        private CrmRecord EmailResult(long e, SeededRandom r, string? leadId, string? contactId)
        {
            var sent = new DateTime(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(r.NextLong(6L * 365 * 24 * 3600));
            var bounced = r.Chance(0.03);
            var opened = !bounced && r.Chance(0.35);
            var subject = r.Pick(Vocabulary.EmailSubjects);
            var rec = new CrmRecord(IndividualEmailResult, 13);
            rec.Add("Id", EmailResultId(e));
            rec.Add("Name", subject);
            rec.Add("et4ae5__Lead_ID__c", leadId);
            rec.Add("et4ae5__Contact_ID__c", contactId);
            rec.Add("et4ae5__SubjectLine__c", subject);
            rec.Add("et4ae5__FromAddress__c", "marketing@example.com");
            rec.Add("et4ae5__DateSent__c", Stamp(sent));
            rec.Add("et4ae5__Opened__c", opened);
            rec.Add("et4ae5__DateOpened__c", opened ? Stamp(sent.AddMinutes(r.Next(1, 5000))) : null);
            rec.Add("et4ae5__NumberOfUniqueClicks__c", opened ? (long)r.Next(0, 4) : 0L);
            rec.Add("et4ae5__HardBounce__c", bounced && r.Chance(0.5));
            rec.Add("et4ae5__SoftBounce__c", bounced && !r.Chance(0.5));
            rec.Add("CreatedDate", Stamp(sent.AddMinutes(r.Next(1, 60))));
            return rec;
        }

        // ------------------------------------------------------------------ helpers

        private static DateTime Later(DateTime from, SeededRandom r, int maxDays)
        {
            // Within maxDays, and never past the export date: a later copy of a recent lead is squeezed, not clipped.
            if (from >= End) return End;
            var span = Math.Min((long)maxDays * 24 * 3600, (long)(End - from).TotalSeconds);
            return from.AddSeconds(r.NextLong(span + 1));
        }

        /// <summary>Salesforce's date-time format: 2023-04-05T14:22:10.000+0000.</summary>
        private static string Stamp(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'.000+0000'", CultureInfo.InvariantCulture);
    }
}
