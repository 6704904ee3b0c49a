using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Conversion;
using LeadTools.Core.Export;
using LeadTools.Core.Funnel;
using LeadTools.Core.Keys;
using LeadTools.Core.Merge;
using LeadTools.Core.Records;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Tests.Funnel
{
    /// <summary>
    /// Seed 001 (Full Circle, "how Funnel Metrics updates records on merge"), rule by rule: each test quotes the seed's sentence
    /// and asserts its outcome on conversions and merges as LeadTools applies them (issue 14, funnel rules; issue 13, journal).
    /// </summary>
    public class Seed001FunnelRuleTests
    {
        private const string ContactId = "003000000000001AAA";
        private const string AccountId = "001000000000001AAA";

        private static CrmRecord Rec(string type, string id, params (string, object?)[] fields) => TestData.Record(type, id, fields);

        private static FunnelConfig Config(Action<JObject>? edit = null)
        {
            var json = JObject.Parse(FunnelConfig.ExampleJson);
            edit?.Invoke(json);
            return FunnelConfig.Parse(json, "test");
        }

        private static CrmRecord Member(string id, string campaign, string person, string? response, string date, string? opportunity = null)
        {
            var m = new CrmRecord("CampaignMember");
            m.Add("Id", id);
            m.Add("CampaignId", campaign);
            m.Add(person.StartsWith("00Q", StringComparison.Ordinal) ? "LeadId" : "ContactId", person);
            m.Add("CreatedDate", date);
            if (response != null)
            {
                m.Add("FCRM__FCR_Response_Status__c", response);
                m.Add("FCRM__FCR_Response_Date__c", date);
            }
            if (opportunity != null) m.Add("FCRM__FCR_Opportunity__c", opportunity);
            return m;
        }

        private static CrmRecord Lead(string id, string status, string? modified = null)
        {
            var l = Rec("Lead", id, ("FirstName", "Ada"), ("LastName", "Lovelace"), ("Company", "Acme"), ("Status", status));
            if (modified != null) l.Add("LastModifiedDate", modified);
            return l;
        }

        private static LeadConverter Converter(FunnelConfig config, IEnumerable<CrmRecord> related, CrmRecord contact, bool passive = false, bool writeStatus = false, AlternateKeyStore? keys = null)
        {
            var analyzer = new FunnelAnalyzer(config);
            var converter = new LeadConverter(new ConversionOptions { Funnel = analyzer, CreateOpportunity = false, PassiveUser = passive, WriteContactStatus = writeStatus, RunId = "conv1", ConvertedDate = new DateTime(2026, 12, 1) }, keys ?? new AlternateKeyStore());
            converter.AddExisting(contact);
            converter.AddExisting(Rec("Account", AccountId, ("Name", "Acme")));
            foreach (var r in related)
            {
                converter.AddRelated(r);
                analyzer.AddContext(r);
            }
            return converter;
        }

        private static CrmRecord ContactRec(string status, string field = "Status") => Rec("Contact", ContactId, ("AccountId", AccountId), ("LastName", "Lovelace"), (field, status));

        // ---- Several leads into one contact -------------------------------------------------------------------------

        [Fact]
        public void OneActiveResponseAtATime_SeveralLeadsIntoOneContactAreDecidedAsOneGroupWhateverTheOrder()
        {
            // Seed 001: "A lead or contact can only have ONE active response at a time." Row 5.4-5: "Leads with active responses
            // into contacts with inactive status: Oldest responses will be shut down ... Contact status will reflect the status
            // of the surviving active response" (the surviving one is the oldest: README decision).
            var config = Config();
            var related = new[]
            {
                Member("00vA", "701A", "00Q000000000001AAA", "Working", "2026-01-10T00:00:00Z"),
                Member("00vB", "701B", "00Q000000000002AAA", "Marketing Qualified", "2026-03-01T00:00:00Z"),
            };
            var l1 = Lead("00Q000000000001AAA", "Working");
            var l2 = Lead("00Q000000000002AAA", "Marketing Qualified");
            var expected = new MergeOutcomeEngine(new FunnelAnalyzer(config)).Decide(ContactRec("Nurture"), new[] { l2, l1 }, related);
            Assert.Equal("5.4-5", expected.Row);

            foreach (var order in new[] { new[] { l1, l2 }, new[] { l2, l1 } })
            {
                var converter = Converter(config, related, ContactRec("Nurture"));
                var attempts = converter.ConvertGroup(order.Select(l => new ConversionRequest(l.Clone()) { ContactId = ContactId }).ToList());
                Assert.All(attempts, a => Assert.Null(a.Error));
                var outcomes = attempts.Select(a => a.Outcome!).ToList();
                Assert.All(outcomes, o => Assert.Same(outcomes[0].Funnel, o.Funnel));
                var f = outcomes[0].Funnel!;
                Assert.Equal(expected.Row, f.Row);
                Assert.Equal(expected.SurvivingStatus, f.SurvivingStatus);
                Assert.Equal("Working", outcomes[0].Contact["Status"]);
                Assert.Equal(expected.SurvivingResponseId, f.SurvivingResponseId);
                Assert.Equal("00vA", f.SurvivingResponseId);
                Assert.Equal(new[] { "00vB" }, f.ResolvedResponses.Select(r => r.MemberId));

                // After the conversion, the contact holds exactly one active response.
                var after = outcomes.SelectMany(o => o.MovedChildren).Where(c => c.ObjectType == "CampaignMember").ToList();
                var contact = new FunnelAnalyzer(config).Analyze(outcomes[0].Contact, after);
                Assert.Equal("00vA", contact.ActiveResponse?.Id);
                Assert.DoesNotContain(contact.Violations, v => v.Kind == "MultipleActiveResponses");
                Assert.Empty(contact.Violations);
            }
        }

        [Fact]
        public void SeveralInactiveLeadsIntoAnInactiveContact_TheOverrideOfTheLeadWhoseStatusWasSetLastWhateverTheOrder()
        {
            // Seed 001 row 5.4-4: "Leads with inactive status values into contacts with inactive status values: See lead conversion
            // overrides in the Funnel Metrics Status mapping." With two leads the one whose status was set last speaks (README).
            var config = Config();
            var older = Lead("00Q000000000001AAA", "Disqualified", "2026-01-01T00:00:00Z");
            var newer = Lead("00Q000000000002AAA", "Remarket", "2026-06-01T00:00:00Z");
            foreach (var order in new[] { new[] { older, newer }, new[] { newer, older } })
            {
                var converter = Converter(config, Array.Empty<CrmRecord>(), ContactRec("Customer"));
                var o = converter.ConvertGroup(order.Select(l => new ConversionRequest(l.Clone()) { ContactId = ContactId }).ToList());
                Assert.Equal("5.4-4", o[0].Outcome!.Funnel!.Row);
                Assert.Equal("Remarket", o[0].Outcome!.Contact["Status"]);
            }
        }

        // ---- Conversions of opportunity-linked memberships: archived, re-inserted, journalled ---------------------------

        private static (List<CrmRecord> Related, CrmRecord Contact) OpportunityLinkedSameCampaign(bool withOpportunity, string? archive = null)
        {
            var related = new List<CrmRecord>
            {
                // The lead's membership is older, so it survives; the contact's opportunity-linked one is destroyed.
                Member("00vL", "701A", "00Q000000000001AAA", null, "2025-01-01T00:00:00Z"),
                Member("00vC", "701A", ContactId, "Working", "2026-02-01T00:00:00Z", opportunity: "006000000000001AAA"),
            };
            if (withOpportunity)
            {
                var opp = Rec("Opportunity", "006000000000001AAA", ("IsClosed", false), ("Name", "Acme-"));
                if (archive != null) opp.Add("FCRM__FCR_Admin_CMArchive__c", archive);
                related.Add(opp);
            }
            return (related, ContactRec("Active Opportunity"));
        }

        [Fact]
        public void OpportunityLinkedMembershipDestroyedByAConversionIsArchivedReinsertedAndJournalled()
        {
            // Seed 001: "The only campaign member we try to preserve is the case where a campaign member was associated with an
            // opportunity ... We keep a copy of this campaign member in XML format in the opportunity AdminCMArcive field ...
            // it will attempt to re-insert it ... If it cannot do so, it will add a member to the Full Circle System Campaign".
            var config = Config(j => j["systemCampaignId"] = "701SYSTEM");
            var (related, contact) = OpportunityLinkedSameCampaign(withOpportunity: true);
            var converter = Converter(config, related, contact);
            var o = converter.Convert(new ConversionRequest(Lead("00Q000000000001AAA", "Nurture")) { ContactId = ContactId });

            Assert.Equal("00vC", Assert.Single(o.DestroyedMemberships).Id);
            var opp = Assert.Single(o.OpportunitiesArchived);
            var archive = (string)opp["FCRM__FCR_Admin_CMArchive__c"]!;
            Assert.StartsWith("<", archive); // Full Circle's format, XML, by default
            Assert.Contains("<Id>00vC</Id>", archive);
            var re = Assert.Single(o.ReinsertedMemberships);
            Assert.Equal("701SYSTEM", re["CampaignId"]);
            Assert.Equal(ContactId, re["ContactId"]);
            Assert.Equal("006000000000001AAA", re["FCRM__FCR_Opportunity__c"]);
            Assert.False(re.Has("LeadId"));

            // Journalled exactly as a merge: before-images of the membership and the opportunity, the re-insert as created.
            var entry = o.Journal!;
            Assert.Contains("00vC", entry.Destroyed);
            Assert.Contains(re.Id!, entry.Created);
            Assert.Contains(entry.Before, b => b.Id == "00vC" && (string?)b["FCRM__FCR_Opportunity__c"] == "006000000000001AAA");
            Assert.Contains(entry.Before, b => b.Id == "006000000000001AAA" && b.Has("FCRM__FCR_Admin_CMArchive__c") && b["FCRM__FCR_Admin_CMArchive__c"] == null);
            var folder = TestData.Scratch();
            var path = MergeJournal.Write(folder, "conv1", new[] { entry });
            var undo = MergeJournal.Undo(MergeJournal.Read(path), null).Single();
            Assert.Equal("00vC", Assert.Single(undo.Reinserted).Id);
            Assert.Contains(re.Id!, undo.ToDelete);
            Assert.Contains(undo.Restored, r => r.Id == "006000000000001AAA" && r["FCRM__FCR_Admin_CMArchive__c"] == null);

            // The Decision text says what happened, and the change files do it.
            var decision = string.Join(" ", o.Notes);
            Assert.Contains("was archived into its FCRM__FCR_Admin_CMArchive__c", decision);
            Assert.Contains("re-inserted as " + re.Id + " in the system campaign 701SYSTEM", decision);
            Assert.DoesNotContain("not archived", decision);
            var changes = new ChangeSet();
            o.AddChanges(changes);
            var files = TestData.Scratch();
            changes.Write(files);
            Assert.Contains("00vC", File.ReadAllText(Path.Combine(files, "CampaignMember-delete.csv")));
            Assert.Contains("701SYSTEM", File.ReadAllText(Path.Combine(files, "CampaignMember-insert.csv")));
            Assert.Contains("00vC", File.ReadAllText(Path.Combine(files, "Opportunity-update.csv")));
        }

        [Fact]
        public void Row548_TheReinsertedOpportunityActiveResponseStillHoldsTheContactStatus()
        {
            // Seed 001 row 5.4-8: "Leads with inactive status values merged into contact with opportunity-active response: Contact
            // status will remain the same." The opportunity-active membership is destroyed by de-duplication and re-inserted:
            // it still counts, so the contact does not become Nurture (the lead-conversion override).
            var config = Config(j => j["systemCampaignId"] = "701SYSTEM");
            var (related, contact) = OpportunityLinkedSameCampaign(withOpportunity: true);
            var o = Converter(config, related, contact).Convert(new ConversionRequest(Lead("00Q000000000001AAA", "Nurture")) { ContactId = ContactId });
            Assert.Equal("5.4-8", o.Funnel!.Row);
            Assert.Equal("Active Opportunity", o.Contact["Status"]);
        }

        [Fact]
        public void Row5310_MergeThatDestroysAndReinsertsTheOpportunityActiveResponseSetsActiveOpportunity()
        {
            // Seed 001 row 10: "Contacts only: 2+ records with opportunity active response and inactive status values: Contact
            // status will be the configured 'contact status when converted with opportunity'".
            var config = Config(j => j["systemCampaignId"] = "701SYSTEM");
            var engine = new MergeEngine(new MergeOptions { Funnel = config, RunId = "m1" }, null);
            engine.AddRelated(Rec("Opportunity", "006X", ("IsClosed", false)));
            engine.AddRelated(Member("00v1", "701A", "0031", null, "2025-01-01T00:00:00Z"));
            engine.AddRelated(Member("00v2", "701A", "0032", "Working", "2026-01-01T00:00:00Z", opportunity: "006X"));
            var r = engine.Merge(new MergeGroup(new[] { Rec("Contact", "0031", ("Status", "Nurture")), Rec("Contact", "0032", ("Status", "Nurture")) }, "0031"));
            Assert.Equal("00v2", Assert.Single(r.MembershipsDestroyed).Id);
            Assert.Single(r.MembershipsReinserted);
            Assert.Equal("5.3-10", r.Funnel.Row);
            Assert.Equal("Active Opportunity", r.Survivor["Status"]);
        }

        [Fact]
        public void OpportunityNotGiven_WarnedAndTheDecisionDoesNotClaimAnArchive()
        {
            var config = Config(j => j["systemCampaignId"] = "701SYSTEM");
            var (related, contact) = OpportunityLinkedSameCampaign(withOpportunity: false);
            var o = Converter(config, related, contact).Convert(new ConversionRequest(Lead("00Q000000000001AAA", "Nurture")) { ContactId = ContactId });
            Assert.Empty(o.OpportunitiesArchived);
            Assert.False(o.Funnel!.DestroyedMemberships.Single().Archived);
            Assert.Contains(o.Warnings, w => w.Contains("006000000000001AAA") && w.Contains("not among the related records"));
            var decision = string.Join(" ", o.Notes);
            Assert.Contains("was not given (-RelatedRecord), so it was not archived", decision);
            Assert.DoesNotContain("was archived into", decision);
            Assert.Contains("00vC", o.Journal!.Destroyed); // still journalled
        }

        [Fact]
        public void TwoMergesOfOneRunArchiveIntoTheSameOpportunity_TheSecondAppendsToTheFirstAndUndoGivesTheOriginalBack()
        {
            var config = Config(j => j["systemCampaignId"] = "701SYS");
            var engine = new MergeEngine(new MergeOptions { Funnel = config, RunId = "m1" }, null);
            engine.AddRelated(Rec("Opportunity", "006A", ("IsClosed", true), ("FCRM__FCR_Admin_CMArchive__c", FullCircleXml)));
            engine.AddRelated(Member("00v1", "701A", "0031", null, "2025-01-01T00:00:00Z"));
            engine.AddRelated(Member("00v2", "701A", "0032", null, "2026-01-01T00:00:00Z", opportunity: "006A"));
            engine.AddRelated(Member("00v3", "701B", "0033", null, "2025-01-01T00:00:00Z"));
            engine.AddRelated(Member("00v4", "701B", "0034", null, "2026-01-01T00:00:00Z", opportunity: "006A"));
            var r1 = engine.Merge(new MergeGroup(new[] { Rec("Contact", "0031", ("Status", "Nurture")), Rec("Contact", "0032", ("Status", "Nurture")) }, "0031"));
            var r2 = engine.Merge(new MergeGroup(new[] { Rec("Contact", "0033", ("Status", "Nurture")), Rec("Contact", "0034", ("Status", "Nurture")) }, "0033"));
            var last = (string)Assert.Single(r2.OpportunitiesArchived)["FCRM__FCR_Admin_CMArchive__c"]!;
            Assert.Contains("<Id>00v2</Id>", last); // nothing the first merge archived is lost
            Assert.Contains("<Id>00v4</Id>", last);
            Assert.Contains(FullCircleXml, last);
            var undone = MergeJournal.Undo(new[] { r1.Journal, r2.Journal }, null);
            Assert.Equal(FullCircleXml, undone.Last().Restored.Single(r => r.Id == "006A")["FCRM__FCR_Admin_CMArchive__c"]);
        }

        [Fact]
        public void AGroupConversionWithAFailingLead_TheOthersAreStillDecidedTogether()
        {
            var config = Config();
            var related = new[]
            {
                Member("00vA", "701A", "00Q000000000001AAA", "Working", "2026-01-10T00:00:00Z"),
                Member("00vB", "701B", "00Q000000000002AAA", "Marketing Qualified", "2026-03-01T00:00:00Z"),
            };
            var converted = Lead("00Q000000000003AAA", "Working");
            converted.Add("IsConverted", true);
            var converter = Converter(config, related, ContactRec("Nurture"));
            var attempts = converter.ConvertGroup(new[] { Lead("00Q000000000002AAA", "Marketing Qualified"), converted, Lead("00Q000000000001AAA", "Working"), Lead("00Q000000000001AAA", "Working") }
                .Select(l => new ConversionRequest(l) { ContactId = ContactId }).ToList());
            Assert.Equal("AlreadyConverted", attempts[1].Error!.ErrorId);
            Assert.Equal("AlreadyConverted", attempts[3].Error!.ErrorId); // the same lead twice in one run
            Assert.Equal("5.4-5", attempts[0].Outcome!.Funnel!.Row);
            Assert.Same(attempts[0].Outcome!.Funnel, attempts[2].Outcome!.Funnel);
            Assert.Equal(new[] { "00Q000000000002AAA", "00Q000000000001AAA" }, attempts[0].Outcome!.GroupLeadIds);
        }

        // ---- The archive field: the format it already holds -------------------------------------------------------------

        private const string FullCircleXml = "<CampaignMember><Id>00vOLD000000001AAA</Id><CampaignId>701OLD</CampaignId><ContactId>003OLD</ContactId><Status>Responded</Status></CampaignMember>";

        [Fact]
        public void ArchiveFieldHoldingFullCircleXml_AppendedAsXmlAndTheOldCopyKept()
        {
            // Seed 001: "We keep a copy of this campaign member in XML format in the opportunity AdminCMArcive field".
            var config = Config(j => j["systemCampaignId"] = "701SYSTEM");
            var (related, contact) = OpportunityLinkedSameCampaign(withOpportunity: true, archive: FullCircleXml);
            var o = Converter(config, related, contact).Convert(new ConversionRequest(Lead("00Q000000000001AAA", "Nurture")) { ContactId = ContactId });
            var text = (string)Assert.Single(o.OpportunitiesArchived)["FCRM__FCR_Admin_CMArchive__c"]!;
            var xml = System.Xml.Linq.XElement.Parse(text);
            Assert.Contains(FullCircleXml, text);
            Assert.Equal(2, xml.Elements("CampaignMember").Count());
            Assert.Equal("00vC", xml.Elements("CampaignMember").Last().Element("Id")!.Value);
            Assert.Empty(o.Warnings);
        }

        [Fact]
        public void ArchiveFieldHoldingXmlMerge_DoesNotCrashTheRunAndAppendsXml()
        {
            // Issue 14: "an opportunity already holding Full Circle's XML stops the whole Merge-CrmRecord run with a JsonReaderException".
            var config = Config(j => j["systemCampaignId"] = "701SYS");
            var engine = new MergeEngine(new MergeOptions { Funnel = config, RunId = "m1" }, null);
            engine.AddRelated(Rec("Opportunity", "006A", ("IsClosed", true), ("FCRM__FCR_Admin_CMArchive__c", FullCircleXml)));
            engine.AddRelated(Rec("Opportunity", "006B", ("IsClosed", true), ("FCRM__FCR_Admin_CMArchive__c", "<CampaignMember><Id>00vX")));
            engine.AddRelated(Member("00v1", "701A", "0031", null, "2025-01-01T00:00:00Z"));
            engine.AddRelated(Member("00v2", "701A", "0032", null, "2026-01-01T00:00:00Z", opportunity: "006A"));
            engine.AddRelated(Member("00v3", "701B", "0033", null, "2025-01-01T00:00:00Z"));
            engine.AddRelated(Member("00v4", "701B", "0034", null, "2026-01-01T00:00:00Z", opportunity: "006B"));
            var r1 = engine.Merge(new MergeGroup(new[] { Rec("Contact", "0031", ("Status", "Nurture")), Rec("Contact", "0032", ("Status", "Nurture")) }, "0031"));
            var archived = (string)Assert.Single(r1.OpportunitiesArchived)["FCRM__FCR_Admin_CMArchive__c"]!;
            Assert.Contains("<Id>00v2</Id>", archived);
            Assert.Contains(FullCircleXml, archived);
            // A damaged archive: the field is left as it is, a warning says so, the merge goes on and journals the membership.
            var r2 = engine.Merge(new MergeGroup(new[] { Rec("Contact", "0033", ("Status", "Nurture")), Rec("Contact", "0034", ("Status", "Nurture")) }, "0033"));
            Assert.Empty(r2.OpportunitiesArchived);
            Assert.Contains(r2.Funnel.Warnings, w => w.Contains("006B") && w.Contains("cannot be read"));
            Assert.Contains("00v4", r2.Journal.Destroyed);
            Assert.Single(r2.MembershipsReinserted);
        }

        [Fact]
        public void ArchiveFieldFormats_JsonStaysJsonBlankIsXmlAlreadyArchivedIsLeftTooLongIsRefused()
        {
            var member = Member("00v9", "701A", "0031", "Working", "2026-01-01T00:00:00Z", opportunity: "006A");
            var json = MembershipArchive.Append("[{\"Id\":\"00v1\"}]", member, ArchiveFormat.Xml);
            Assert.Equal("Json", json.Format);
            Assert.Equal(2, JArray.Parse(json.Text!).Count);
            var blank = MembershipArchive.Append(null, member, ArchiveFormat.Xml);
            Assert.StartsWith("<CampaignMembers><CampaignMember><Id>00v9</Id>", blank.Text!);
            var blankJson = MembershipArchive.Append("", member, ArchiveFormat.Json);
            Assert.Equal("00v9", (string?)JArray.Parse(blankJson.Text!)[0]["Id"]);
            var again = MembershipArchive.Append(blank.Text, member, ArchiveFormat.Xml);
            Assert.False(again.Changed); // Full Circle's copy of this very member is already there
            var full = new string('x', MembershipArchive.MaxLength - 40);
            var big = MembershipArchive.Append("<CampaignMembers><Note>" + full + "</Note></CampaignMembers>", member, ArchiveFormat.Xml);
            Assert.False(big.Changed);
            Assert.Contains("32,768", big.Warning);
            var text = MembershipArchive.Append("free text someone typed", member, ArchiveFormat.Xml);
            Assert.False(text.Changed);
            Assert.Equal("Unreadable", text.Format);
        }

        // ---- Re-insert: own campaign as a repeat member, else the system campaign; warn without one ----------------------

        [Fact]
        public void ReinsertedAsARepeatMemberOfItsOwnCampaignWhenTheCampaignHasARepeatCampaign()
        {
            // Seed 001: "it will attempt to re-insert it (potentially as a repeat campaign/member). If it cannot do so, it will add
            // a member to the Full Circle System Campaign".
            var config = Config(j =>
            {
                j["systemCampaignId"] = "701SYS";
                j["repeatCampaigns"] = new JObject { ["701A"] = "701AREPEAT" };
            });
            var engine = new MergeEngine(new MergeOptions { Funnel = config, RunId = "m1" }, null);
            engine.AddRelated(Rec("Opportunity", "006A", ("IsClosed", true)));
            engine.AddRelated(Member("00v1", "701A", "0031", null, "2025-01-01T00:00:00Z"));
            engine.AddRelated(Member("00v2", "701A", "0032", null, "2026-01-01T00:00:00Z", opportunity: "006A"));
            var r = engine.Merge(new MergeGroup(new[] { Rec("Contact", "0031", ("Status", "Nurture")), Rec("Contact", "0032", ("Status", "Nurture")) }, "0031"));
            var re = Assert.Single(r.MembershipsReinserted);
            Assert.Equal("701AREPEAT", re["CampaignId"]);
            Assert.Equal("RepeatMember", r.Funnel.DestroyedMemberships.Single().ReinsertedAs);
            Assert.Contains("repeat member of its campaign", r.Funnel.Reason);

            // The survivor already holds the repeat campaign: the system campaign instead.
            var engine2 = new MergeEngine(new MergeOptions { Funnel = config, RunId = "m2" }, null);
            engine2.AddRelated(Rec("Opportunity", "006A", ("IsClosed", true)));
            engine2.AddRelated(Member("00v1", "701A", "0031", null, "2025-01-01T00:00:00Z"));
            engine2.AddRelated(Member("00v5", "701AREPEAT", "0031", null, "2025-02-01T00:00:00Z"));
            engine2.AddRelated(Member("00v2", "701A", "0032", null, "2026-01-01T00:00:00Z", opportunity: "006A"));
            var r2 = engine2.Merge(new MergeGroup(new[] { Rec("Contact", "0031", ("Status", "Nurture")), Rec("Contact", "0032", ("Status", "Nurture")) }, "0031"));
            Assert.Equal("701SYS", Assert.Single(r2.MembershipsReinserted)["CampaignId"]);
        }

        [Fact]
        public void NoSystemCampaignConfigured_Warned()
        {
            var config = Config(); // systemCampaignId: null
            var engine = new MergeEngine(new MergeOptions { Funnel = config, RunId = "m1" }, null);
            engine.AddRelated(Rec("Opportunity", "006A", ("IsClosed", true)));
            engine.AddRelated(Member("00v1", "701A", "0031", null, "2025-01-01T00:00:00Z"));
            engine.AddRelated(Member("00v2", "701A", "0032", null, "2026-01-01T00:00:00Z", opportunity: "006A"));
            var r = engine.Merge(new MergeGroup(new[] { Rec("Contact", "0031", ("Status", "Nurture")), Rec("Contact", "0032", ("Status", "Nurture")) }, "0031"));
            Assert.Empty(r.MembershipsReinserted);
            Assert.Contains(r.Funnel.Warnings, w => w.Contains("no system campaign is configured"));
            Assert.Contains("00v2", r.Journal.Destroyed);
        }

        // ---- Row 5.3-7 ---------------------------------------------------------------------------------------------

        [Fact]
        public void Row537_TheSurvivingCampaignWillDetermineTheStatus()
        {
            // Seed 001 row 7: "2 records with 1 active response, and 1 inactive response from the SAME campaign. The surviving
            // campaign will determine the status ... In this scenario one of the campaign members was destroyed".
            var kit = new FunnelTestKit();
            var active = FunnelTestKit.Lead("00Q1", "Working");
            var inactive = FunnelTestKit.Lead("00Q2", "Nurture");
            kit.Member("CMa", active, "701A", "Working", "2026-03-01T00:00:00Z", created: "2026-03-01T00:00:00Z");
            kit.Member("CMi", inactive, "701A", "Responded", "2025-01-01T00:00:00Z", created: "2025-01-01T00:00:00Z");
            // The admin selects the active status, the older (inactive) membership survives: the status is inactive.
            var o = kit.MergeSelecting("Working", active, inactive);
            Assert.Equal("5.3-7", o.Row);
            Assert.Equal("CMa", Assert.Single(o.DestroyedMemberships).MemberId);
            Assert.Equal("Nurture", o.SurvivingStatus);
            // ... and the result passes the integrity check (no active status without its response).
            var survivor = FunnelTestKit.Lead("00Q1", o.SurvivingStatus!);
            var after = kit.Analyzer.Analyze(survivor, kit.Members.Where(m => m.Id == "CMi"));
            Assert.Empty(after.Violations);

            // The other way round: the active membership survives and sets the status although an inactive one was selected.
            var kit2 = new FunnelTestKit();
            kit2.Member("CMa", active, "701A", "Working", "2025-01-01T00:00:00Z", created: "2025-01-01T00:00:00Z");
            kit2.Member("CMi", inactive, "701A", "Responded", "2026-03-01T00:00:00Z", created: "2026-03-01T00:00:00Z");
            var o2 = kit2.MergeSelecting("Nurture", inactive, active);
            Assert.Equal("5.3-7", o2.Row);
            Assert.Equal("Working", o2.SurvivingStatus);
            Assert.Equal("CMa", o2.SurvivingResponseId);
        }

        // ---- Status fields ------------------------------------------------------------------------------------------

        [Fact]
        public void ConfigurableStatusFields_TheContactStatusFieldIsReadAndSetNotStatus()
        {
            var config = Config(j =>
            {
                j["fields"]!["contactStatus"] = "FCRM__FCR_Status__c";
                j["fields"]!["leadStatus"] = "Lead_Status__c";
            });
            var related = new[] { Member("00vA", "701A", "00Q000000000001AAA", "Working", "2026-01-10T00:00:00Z") };
            var lead = Rec("Lead", "00Q000000000001AAA", ("LastName", "L"), ("Company", "Acme"), ("Lead_Status__c", "Working"));
            var converter = Converter(config, related, ContactRec("Nurture", "FCRM__FCR_Status__c"), writeStatus: true);
            var o = converter.Convert(new ConversionRequest(lead) { ContactId = ContactId });
            Assert.Equal("5.4-5", o.Funnel!.Row); // the lead's status was read from Lead_Status__c
            Assert.Equal("Working", o.Contact["FCRM__FCR_Status__c"]);
            Assert.False(o.Contact.Has("Status"));
            Assert.Equal("Closed - Converted", o.Lead["Lead_Status__c"]);
            var changes = new ChangeSet();
            o.AddChanges(changes);
            var folder = TestData.Scratch();
            changes.Write(folder);
            Assert.Equal("Id,FCRM__FCR_Status__c", File.ReadAllLines(Path.Combine(folder, "Contact-update.csv"))[0]);
            Assert.StartsWith("Id,IsConverted,Lead_Status__c,", File.ReadAllLines(Path.Combine(folder, "Lead-update.csv"))[0]);
        }

        [Fact]
        public void NewContactInsertHasNoStatusByDefault()
        {
            // Seed 001: "For active status values - do not explicitly update the contact status post lead conversion - let
            // Funnel Metrics configuration handle those updates".
            var config = Config();
            var analyzer = new FunnelAnalyzer(config);
            var converter = new LeadConverter(new ConversionOptions { Funnel = analyzer, CreateOpportunity = false }, new AlternateKeyStore());
            converter.AddRelated(Member("00vA", "701A", "00Q000000000001AAA", "Working", "2026-01-10T00:00:00Z"));
            var o = converter.Convert(new ConversionRequest(Lead("00Q000000000001AAA", "Working")));
            Assert.Equal("Working", o.Contact["Status"]); // the expected outcome, on the result
            var changes = new ChangeSet();
            o.AddChanges(changes);
            var folder = TestData.Scratch();
            changes.Write(folder);
            Assert.DoesNotContain("Status", File.ReadAllLines(Path.Combine(folder, "Contact-insert.csv"))[0].Split(','));
        }

        // ---- Passive merging user --------------------------------------------------------------------------------------

        [Fact]
        public void PassiveMergingUser_IsADecisionFactor()
        {
            // Seed 001: "Is the user doing the merge running in passive mode? (either the org is passive, the user is passive or
            // the record types are passive)". All records inactive, the admin selects an active status: only a passive user may
            // leave an active status without an active response.
            var kit = new FunnelTestKit();
            var a = FunnelTestKit.Lead("00Q1", "Nurture");
            var b = FunnelTestKit.Lead("00Q2", "Remarket");
            var active = new MergeOutcomeEngine(kit.Analyzer).Decide(a, new[] { b }, kit.Members, "Working");
            Assert.Equal("5.3-1", active.Row);
            Assert.Equal("Nurture", active.SurvivingStatus);
            Assert.False(active.PassiveUser);
            var passive = new MergeOutcomeEngine(kit.Analyzer, passiveUser: true).Decide(a, new[] { b }, kit.Members, "Working");
            Assert.Equal("Working", passive.SurvivingStatus);
            Assert.True(passive.PassiveUser);
            var fromConfig = new FunnelTestKit(j => j["passive"]!["mergingUser"] = true);
            Assert.Equal("Working", new MergeOutcomeEngine(fromConfig.Analyzer).Decide(a, new[] { b }, fromConfig.Members, "Working").SurvivingStatus);
        }

        // ---- Integrity ------------------------------------------------------------------------------------------------

        [Fact]
        public void Integrity_OpportunityActiveContactNeedsTheConvertedWithOpportunityStatus_AndOneResponsePerOpportunity()
        {
            // Seed 001: "The contact below has an opportunity-active response. The contact status is the configured status in the
            // status settings 'Contact status when converted with Opportunity'" and "A contact may be associated with multiple
            // open opportunities - each one associated to a unique Opportunity-Active campaign member response."
            var kit = new FunnelTestKit();
            kit.Opportunity("006A");
            var wrong = FunnelTestKit.Contact("0031", "Nurture");
            var right = FunnelTestKit.Contact("0032", "Active Opportunity");
            kit.Member("CM1", wrong, "701A", "Working", "2026-01-01T00:00:00Z", opportunity: "006A");
            kit.Member("CM2", right, "701B", "Working", "2026-01-02T00:00:00Z", opportunity: "006A");
            var people = kit.Analyzer.AnalyzeAll(new[] { wrong, right }, kit.Members).ToList();
            Assert.Contains(people[0].Violations, v => v.Kind == "OpportunityStatusMismatch" && v.MemberId == "CM1");
            Assert.DoesNotContain(people[1].Violations, v => v.Kind == "OpportunityStatusMismatch");
            Assert.Contains(people[0].Violations, v => v.Kind == "MultipleResponsesForOpportunity");
            Assert.Contains(people[1].Violations, v => v.Kind == "MultipleResponsesForOpportunity" && v.MemberId == "CM2");

            // One response per opportunity, right status: clean.
            var ok = new FunnelTestKit();
            ok.Opportunity("006A").Opportunity("006B");
            var c = FunnelTestKit.Contact("0033", "Active Opportunity");
            ok.Member("CM3", c, "701A", "Working", "2026-01-01T00:00:00Z", opportunity: "006A");
            ok.Member("CM4", c, "701B", "Working", "2026-01-01T00:00:00Z", opportunity: "006B");
            Assert.Empty(ok.Analyzer.AnalyzeAll(new[] { c }, ok.Members).Single().Violations);
        }
    }
}

namespace LeadTools.Core.Tests.Funnel
{
    /// <summary>Seed 001's recommendations for a bulk clean-up, through Get-MergePlan's core (issue 14).</summary>
    public class Seed001MergePlanTests
    {
        private static readonly DateTime Now = new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc);

        private static CrmRecord Rec(string type, string id, params (string, object?)[] fields) => TestData.Record(type, id, fields);

        [Fact]
        public void ThePlanReportsTheMembershipsEachMergeWouldDestroy()
        {
            // Seed 001: "If merged records are members of the same campaign, then one of the campaign member records will be
            // deleted ... these campaign members are not stored in the Trash Can when they are deleted, so they are not recoverable".
            var same = new MergeGroup(new[] { Rec("Lead", "00Q1", ("CreatedDate", "2020-01-01"), ("Status", "Nurture")), Rec("Lead", "00Q2", ("CreatedDate", "2021-01-01"), ("Status", "Nurture")) }, groupId: "g1");
            var conversion = new MergeGroup(new[] { Rec("Contact", "0031", ("Status", "Nurture")), Rec("Lead", "00Q3", ("Status", "Nurture")) }, groupId: "g2");
            var related = new[]
            {
                Rec("CampaignMember", "00v1", ("CampaignId", "701A"), ("LeadId", "00Q1"), ("CreatedDate", "2025-01-01T00:00:00Z")),
                Rec("CampaignMember", "00v2", ("CampaignId", "701A"), ("LeadId", "00Q2"), ("CreatedDate", "2026-01-01T00:00:00Z")),
                Rec("CampaignMember", "00v3", ("CampaignId", "701B"), ("ContactId", "0031"), ("CreatedDate", "2026-01-01T00:00:00Z")),
                Rec("CampaignMember", "00v4", ("CampaignId", "701B"), ("LeadId", "00Q3"), ("CreatedDate", "2025-01-01T00:00:00Z")),
                Rec("CampaignMember", "00v5", ("CampaignId", "701C"), ("LeadId", "00Q9"), ("CreatedDate", "2025-01-01T00:00:00Z")),
            };
            var plan = MergePlan.Build(new[] { same, conversion }, new MergeOptions(), FunnelConfig.Example(), 90, "Nurture", Now, related);
            Assert.Equal(new[] { "00v2" }, plan.Requests.Single(r => r.GroupId == "g1").MembershipsDestroyed);
            Assert.Equal(new[] { "00v3" }, plan.Requests.Single(r => r.GroupId == "g2").MembershipsDestroyed);
            Assert.Equal(new[] { "00v2", "00v3" }, plan.DestroyedMemberships.Select(m => m.Id).ToArray());
            var folder = TestData.Scratch();
            plan.Write(folder);
            var backup = File.ReadAllLines(Path.Combine(folder, "0-memberships-destroyed.csv"));
            Assert.Equal(3, backup.Length);
            Assert.Contains(backup, l => l.StartsWith("00v2,701A,00Q2", StringComparison.Ordinal));
        }

        [Fact]
        public void StaleStatusesJudgedByTheStatusOwnChangeDateWhereTheExportHasIt()
        {
            // Seed 001: "Before merging - consider which active status values should be deactivated because they are old -
            // first shut down those leads and contacts by updating them to your selected inactive status values".
            var json = JObject.Parse(FunnelConfig.ExampleJson);
            json["fields"]!["leadStatusDate"] = "Status_Set_Date__c";
            var config = FunnelConfig.Parse(json, "t");
            // Edited yesterday (LastModifiedDate fresh) but its status was set two years ago: stale.
            var edited = Rec("Lead", "00Q1", ("CreatedDate", "2020-01-01"), ("Status", "Working"), ("LastModifiedDate", "2026-11-23T00:00:00Z"), ("Status_Set_Date__c", "2024-11-01"));
            // No status date in the export: LastModifiedDate, with a warning.
            var old = Rec("Lead", "00Q2", ("CreatedDate", "2021-01-01"), ("Status", "Working"), ("LastModifiedDate", "2025-01-01T00:00:00Z"));
            var plan = MergePlan.Build(new[] { new MergeGroup(new[] { edited, old }, groupId: "g") }, new MergeOptions(), config, 90, "Nurture", Now);
            var stale = plan.Stale.ToDictionary(s => s.Id);
            Assert.Equal("Status_Set_Date__c", stale["00Q1"].SinceField);
            Assert.Equal("2024-11-01", stale["00Q1"].Since);
            Assert.Equal("LastModifiedDate", stale["00Q2"].SinceField);
            Assert.Contains(plan.Warnings, w => w.Contains("LastModifiedDate") && w.Contains("any edit"));

            // A status set recently is not stale, though the record is old.
            var fresh = Rec("Lead", "00Q3", ("Status", "Working"), ("LastModifiedDate", "2020-01-01T00:00:00Z"), ("Status_Set_Date__c", "2026-11-01"));
            var plan2 = MergePlan.Build(new[] { new MergeGroup(new[] { fresh, Rec("Lead", "00Q4", ("Status", "Nurture")) }, groupId: "g") }, new MergeOptions(), config, 90, "Nurture", Now);
            Assert.Empty(plan2.Stale);
        }
    }
}
