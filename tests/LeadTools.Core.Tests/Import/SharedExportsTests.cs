using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Export;
using LeadTools.Core.Import;
using LeadTools.Core.Records;
using LeadTools.Core.Text;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.Tests.Import
{
    /// <summary>
    /// Every file under ../shared/data/exports (public sample exports; sources and licences in
    /// shared/data/SOURCES.md) imports with the right object types and counts, and round-trips.
    /// </summary>
    public class SharedExportsTests
    {
        // file -> expected "Type:count" list, and the import options the file needs.
        public static readonly TheoryData<string, string, string> Files = new TheoryData<string, string, string>
        {
            { "activecampaign/accountsList.json", "account:1", "" },
            { "activecampaign/accountsRetrieve.json", "account:1", "" },
            { "activecampaign/getContact.json", "contactList:2,contact:1", "" },
            { "dataverse/multi-select-picklist.md__01_contacts_containvalues.json", "contact:4", "" },
            { "dataverse/multi-select-picklist.md__02_contacts_not_contain_values.json", "contact:4", "" },
            { "dataverse/query-data-web-api.md__01_basic_accounts.json", "account:3", "" },
            { "dataverse/query-data-web-api.md__02_maxpagesize_nextLink_accounts.json", "account:3", "" },
            { "dataverse/query-data-web-api.md__03_filter_by_primarycontact_accounts.json", "account:2", "" },
            { "dataverse/query-data-web-api.md__04_count_accounts.json", "account:3", "" },
            { "dataverse/query-data-web-api.md__05_formatted_values_accounts.json", "account:1", "" },
            { "dataverse/query-data-web-api.md__06_lookup_annotations_incident_contact.json", "incident:1", "" },
            { "dataverse/query-data-web-api.md__07_expand_primarycontact_accounts.json", "account:3", "" },
            { "salesforce/forcedotcom_dataloader/accountData.csv", "Account:423", "encoding=windows1252" },
            { "salesforce/forcedotcom_dataloader/csvEscapedQuotes.csv", "Account:2", "type=Account" },
            { "salesforce/forcedotcom_dataloader/csvtext_BOM_UTF16BE.csv", "Account:2", "type=Account" },
            { "salesforce/forcedotcom_dataloader/csvtext_BOM_UTF16LE.csv", "Account:2", "type=Account" },
            { "salesforce/forcedotcom_dataloader/csvtext_BOM_UTF8.csv", "Account:2", "type=Account" },
            { "salesforce/forcedotcom_dataloader/error0413060133.csv", "Opportunity:10", "" },
            { "salesforce/forcedotcom_dataloader/opportunityData.csv", "Opportunity:38", "" },
            { "salesforce/forcedotcom_dataloader/success0413060133.csv", "Opportunity:9", "" },
            { "salesforce/restforce/query_aggregate_success_response.json", "AggregateResult:3", "" },
            { "salesforce/restforce/query_empty_response.json", "", "" },
            { "salesforce/restforce/query_paginated_first_page_response.json", "Whizbang:1", "" },
            { "salesforce/restforce/query_paginated_last_page_response.json", "Whizbang:1", "" },
            { "salesforce/restforce/query_success_response.json", "Whizbang:1", "" },
            { "salesforce/salesforcecli_plugin-data/accounts-contacts-plan.json", "Account:2,Contact:6", "" },
            { "salesforce/salesforcecli_plugin-data/accounts-contacts-tree.json", "Account:2,Contact:2", "" },
            { "salesforce/salesforcecli_plugin-data/accounts-contacts-tree2.json", "Account:2,Contact:2", "" },
            { "salesforce/salesforcecli_plugin-data/accounts-only.json", "Account:2,Contact:2", "" },
            { "salesforce/salesforcecli_plugin-data/bulkUpsert.csv", "Account:10", "type=Account" },
            { "salesforce/salesforcecli_plugin-data/comma_wrapped_values.csv", "Account:10", "type=Account" },
            { "salesforce/salesforcecli_plugin-data/commonChild/Account-Opportunity-Task-Case-plan.json", "Account:2,Opportunity:1,Task:2,Case:1", "" },
            { "salesforce/salesforcecli_plugin-data/commonChild/Account.json", "Account:2", "" },
            { "salesforce/salesforcecli_plugin-data/commonChild/Case.json", "Case:1", "" },
            { "salesforce/salesforcecli_plugin-data/commonChild/Opportunity.json", "Opportunity:1", "" },
            { "salesforce/salesforcecli_plugin-data/commonChild/Task.json", "Task:2", "" },
            { "salesforce/salesforcecli_plugin-data/contacts-only-1.json", "Contact:2", "" },
            { "salesforce/salesforcecli_plugin-data/contacts-only-2.json", "Contact:2", "" },
            { "salesforce/salesforcecli_plugin-data/junction/Account-AccountContactRelation-Contact-plan.json", "Account:5,AccountContactRelation:3,Contact:4", "" },
            { "salesforce/salesforcecli_plugin-data/junction/Account.json", "Account:5", "" },
            { "salesforce/salesforcecli_plugin-data/junction/AccountContactRelation.json", "AccountContactRelation:3", "" },
            { "salesforce/salesforcecli_plugin-data/junction/Contact.json", "Contact:4", "" },
            { "salesforce/trailheadapps_apex-recipes/Accounts.csv", "Account:50", "" },
            { "salesforce/trailheadapps_apex-recipes/Campaigns.csv", "Campaign:15", "" },
            { "salesforce/trailheadapps_apex-recipes/Contacts.csv", "Contact:150", "" },
            { "salesforce/trailheadapps_apex-recipes/Opportunities.csv", "Opportunity:50", "" },
            { "salesforce/trailheadapps_coral-cloud/data-Case.json", "Case:2", "" },
            { "salesforce/trailheadapps_coral-cloud/data-Contact-large.json", "Contact:992", "" },
            { "salesforce/trailheadapps_coral-cloud/data-Contact.json", "Contact:156", "" },
            { "salesforce/trailheadapps_coral-cloud/data-plan-large.json", "Contact:992,Case:2", "" },
            { "salesforce/trailheadapps_coral-cloud/data-plan.json", "Contact:156,Case:2", "" },
            { "salesforce/trailheadapps_dreamhouse-lwc/brokers-data.json", "Broker__c:8", "" },
            { "salesforce/trailheadapps_dreamhouse-lwc/contacts-data.json", "Contact:5", "" },
            { "salesforce/trailheadapps_dreamhouse-lwc/properties-data.json", "Property__c:12", "" },
            { "salesforce/trailheadapps_dreamhouse-lwc/sample-data-plan.json", "Broker__c:8,Property__c:12,Contact:5", "" },
            { "salesforce/trailheadapps_easy-spaces-lwc/Accounts.json", "Account:12", "" },
            { "salesforce/trailheadapps_easy-spaces-lwc/Contacts.json", "Contact:12", "" },
            { "salesforce/trailheadapps_easy-spaces-lwc/Leads.json", "Lead:11", "" },
            { "salesforce/trailheadapps_easy-spaces-lwc/Market__c-Space__c-plan.json", "Market__c:11,Space__c:132,Reservation__c:2", "" },
            { "salesforce/trailheadapps_easy-spaces-lwc/Market__cs.json", "Market__c:11", "" },
            { "salesforce/trailheadapps_easy-spaces-lwc/Plan1.json", "Lead:11", "" },
            { "salesforce/trailheadapps_easy-spaces-lwc/Plan2.json", "Account:12,Contact:12,Market__c:11,Space__c:132,Reservation__c:2", "" },
            { "salesforce/trailheadapps_easy-spaces-lwc/Reservation__c-plan.json", "Reservation__c:2", "" },
            { "salesforce/trailheadapps_easy-spaces-lwc/Reservation__cs.json", "Reservation__c:2", "" },
            { "salesforce/trailheadapps_easy-spaces-lwc/Space__cs.json", "Space__c:132", "" },
            { "salesforce/trailheadapps_easy-spaces/Contact_Data.csv", "Contact:12", "" },
            { "salesforce/trailheadapps_easy-spaces/Lead_Data.csv", "Lead:11", "" },
            { "salesforce/trailheadapps_ebikes-lwc/Accounts.json", "Account:3", "" },
            { "salesforce/trailheadapps_ebikes-lwc/Product__cs.json", "Product__c:16", "" },
            { "salesforce/trailheadapps_ebikes-lwc/Product_Family__cs.json", "Product_Family__c:4", "" },
            { "salesforce/trailheadapps_ebikes-lwc/sample-data-plan.json", "Account:3,Product_Family__c:4,Product__c:16", "" },
            { "salesforce/trailheadapps_ecars/Contacts.json", "Contact:2", "" },
            { "salesforce/trailheadapps_ecars/data-plan.json", "Contact:2,Lead:1", "" },
            { "salesforce/trailheadapps_ecars/Leads.json", "Lead:1", "" },
            { "salesforce/trailheadapps_lwc-recipes/Accounts.json", "Account:10", "" },
            { "salesforce/trailheadapps_lwc-recipes/Contacts.json", "Contact:6", "" },
            { "salesforce/trailheadapps_lwc-recipes/data-plan.json", "Account:10,Contact:6,Opportunity:20", "" },
            { "salesforce/trailheadapps_lwc-recipes/Opportunities.json", "Opportunity:20", "" },
            { "salesforce/trailheadapps_lwc-recipes/lwc_test_mocks/contactInfo/__tests__/data/getRecord.json", "Contact:1", "" },
            { "salesforce/trailheadapps_lwc-recipes/lwc_test_mocks/contactList/__tests__/data/getContactList.json", "Contact:6", "" },
            { "salesforce/trailheadapps_lwc-recipes/lwc_test_mocks/datatableInlineEditWithUiApi/__tests__/data/getContactList.json", "Contact:6", "" },
            { "salesforce/trailheadapps_lwc-recipes/lwc_test_mocks/graphqlContacts/__tests__/data/graphqlContactsResponse.json", "Contact:5", "" },
        };

        // Files whose only output is a reported problem, checked separately below.
        private static readonly string[] ErrorOnly = { "salesforce/restforce/query_error_response.json" };

        internal static ImportOptions OptionsFor(string spec)
        {
            var options = new ImportOptions();
            foreach (var part in spec.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = part.Split('=');
                if (kv[0] == "type") options.ObjectType = kv[1];
                if (kv[0] == "encoding") options.Encoding = TextEncodings.Parse(kv[1]);
            }
            return options;
        }

        [Fact]
        public void EveryExportFileIsCovered()
        {
            var covered = new HashSet<string>(Files.Select(row => (string)row[0]).Concat(ErrorOnly));
            var all = Directory.GetFiles(TestData.Exports, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(TestData.Exports, f).Replace('\\', '/'));
            Assert.DoesNotContain(all, f => !covered.Contains(f));
        }

        [Theory]
        [MemberData(nameof(Files))]
        public void ImportsWithTypesAndCounts(string file, string expected, string options)
        {
            var (records, issues) = TestData.Read(TestData.Export(file), OptionsFor(options));
            var actual = string.Join(",", records.GroupBy(r => r.ObjectType).Select(g => $"{g.Key}:{g.Count()}"));
            Assert.Equal(expected, actual);
            Assert.All(records, r => Assert.True(r.Count > 0));
            // The only errors the public files produce are real ones: a Data Loader error file that lists one
            // record twice, and plans naming files that were not published.
            foreach (var issue in issues.Where(i => !i.IsWarning))
            {
                Assert.Contains(issue.Kind, new[] { RecordIssueKind.DuplicateId, RecordIssueKind.FileNotFound });
            }
        }

        [Fact]
        public void SalesforceApiErrorReplyIsReportedNotRead()
        {
            var (records, issues) = TestData.Read(TestData.Export(ErrorOnly[0]));
            Assert.Empty(records);
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.ApiErrorResponse, issue.Kind);
            Assert.Contains("INVALID_FIELD", issue.Message);
        }

        [Fact]
        public void DataLoaderErrorFileListsOneRecordTwice()
        {
            var (records, issues) = TestData.Read(TestData.Export("salesforce/forcedotcom_dataloader/error0413060133.csv"));
            var dup = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.DuplicateId, dup.Kind);
            Assert.Equal(3, dup.Line);
            Assert.Equal(2, dup.RecordNumber);
            Assert.Contains("006x0000001YZ8YAAW", dup.Message);
            Assert.Equal(10, records.Count);
        }

        [Fact]
        public void PagedResultsWarnThatTheRestIsMissing()
        {
            var (records, issues) = TestData.Read(TestData.Export("salesforce/restforce/query_paginated_first_page_response.json"));
            Assert.Single(records);
            var warning = Assert.Single(issues);
            Assert.True(warning.IsWarning);
            Assert.Equal(RecordIssueKind.IncompletePage, warning.Kind);
            Assert.Contains("/services/data/v26.0/query/01gD", warning.Message);
        }

        [Fact]
        public void Windows1252FileWithoutEncodingIsReportedAtTheBadByte()
        {
            var (records, issues) = TestData.Read(TestData.Export("salesforce/forcedotcom_dataloader/accountData.csv"));
            var issue = Assert.Single(issues);
            Assert.Equal(RecordIssueKind.InvalidEncoding, issue.Kind);
            Assert.Equal(72, issue.Line);
            Assert.Contains("windows1252", issue.Message);
            Assert.True(records.Count < 423);
        }

        [Fact]
        public void Windows1252DecodesAccents()
        {
            var (records, _) = TestData.Read(TestData.Export("salesforce/forcedotcom_dataloader/accountData.csv"), OptionsFor("encoding=windows1252"));
            Assert.Contains(records, r => (r.GetString("BILLINGSTREET") ?? string.Empty).Contains("º") || r.Any(f => f.Value is string s && s.Contains("º")));
        }

        [Fact]
        public void ByteOrderMarksAreHonoured()
        {
            foreach (var name in new[] { "csvtext_BOM_UTF8.csv", "csvtext_BOM_UTF16LE.csv", "csvtext_BOM_UTF16BE.csv" })
            {
                var (records, issues) = TestData.Read(TestData.Export("salesforce/forcedotcom_dataloader/" + name), OptionsFor("type=Account"));
                Assert.Empty(issues);
                Assert.Equal(new[] { "column1", "column2", "column3" }, records[0].Names.ToArray());
            }
        }

        [Fact]
        public void EscapedQuotesAreUnescaped()
        {
            var (records, _) = TestData.Read(TestData.Export("salesforce/forcedotcom_dataloader/csvEscapedQuotes.csv"), OptionsFor("type=Account"));
            Assert.Equal("\"The Best\" Account", records[0]["column1"]);
            Assert.Equal("The \"Best\" Account", records[1]["column1"]);
        }

        [Fact]
        public void DataverseIdsComeFromTheEntityKey()
        {
            var (records, _) = TestData.Read(TestData.Export("dataverse/query-data-web-api.md__01_basic_accounts.json"));
            Assert.All(records, r => Assert.Equal(r.GetString("accountid"), r.Id));
            Assert.All(records, r => Assert.Equal("account", r.ObjectType));
        }

        [Fact]
        public void TreeChildrenBecomeRecordsWithAParentLookup()
        {
            var (records, _) = TestData.Read(TestData.Export("salesforce/salesforcecli_plugin-data/accounts-contacts-tree.json"));
            Assert.Equal(new[] { "Account", "Contact", "Contact", "Account" }, records.Select(r => r.ObjectType).ToArray());
            Assert.Equal("@SampleAccountRef", records[1]["AccountId"]);
            Assert.False(records[0].Has("Contacts"));
            Assert.Equal("PresidentSmithRef", records[1].Id);
        }

        [Fact]
        public void ReferencesResolveAcrossAPlan()
        {
            var options = new ImportOptions { ResolveReferences = true };
            var issues = new List<RecordIssue>();
            var reader = new RecordReader(options, issues.Add);
            var records = reader.ReadFiles(new[] { TestData.Export("salesforce/salesforcecli_plugin-data/junction/Account-AccountContactRelation-Contact-plan.json") }).ToList();
            Assert.Empty(issues);
            var relation = records.First(r => r.ObjectType == "AccountContactRelation");
            Assert.Equal("ContactRef3", relation["ContactId"]);
            Assert.Equal("AccountRef2", relation["AccountId"]);
            Assert.Contains(records, r => r.Id == "ContactRef3" && r.ObjectType == "Contact");
        }

        [Theory]
        [MemberData(nameof(Files))]
        public void RoundTripsThroughEveryJsonShape(string file, string expected, string options)
        {
            var (original, _) = TestData.Read(TestData.Export(file), OptionsFor(options));
            if (original.Count == 0) return;
            foreach (var format in new[] { RecordFormat.JsonArray, RecordFormat.JsonLines, RecordFormat.SalesforceRest })
            {
                var path = Path.Combine(TestData.Scratch(), "out" + (format == RecordFormat.JsonLines ? ".jsonl" : ".json"));
                Write(original, path, format);
                var (back, issues) = TestData.Read(path, new ImportOptions { CheckDuplicateIds = false });
                Assert.DoesNotContain(issues, i => !i.IsWarning);
                AssertSameRecords(original, back, expected);
            }
        }

        [Theory]
        [MemberData(nameof(Files))]
        public void CsvFilesRoundTripThroughCsv(string file, string expected, string options)
        {
            if (!file.EndsWith(".csv", StringComparison.Ordinal)) return;
            var (original, _) = TestData.Read(TestData.Export(file), OptionsFor(options));
            var path = Path.Combine(TestData.Scratch(), "out.csv");
            Write(original, path, RecordFormat.Csv);
            var (back, issues) = TestData.Read(path, new ImportOptions { CheckDuplicateIds = false, ObjectType = original[0].ObjectType });
            Assert.Empty(issues);
            Assert.Equal(original.Count, back.Count);
            for (var i = 0; i < original.Count; i++)
            {
                Assert.Equal(original[i].Names.ToArray(), back[i].Names.ToArray());
                foreach (var field in original[i])
                {
                    var value = field.Value as string;
                    // Date-times with an offset are written in UTC; everything else comes back as it was.
                    if (value != null && value.Length > 19 && value[10] == 'T' && value.EndsWith("+0000", StringComparison.Ordinal)) continue;
                    Assert.Equal(value, back[i][field.Key]);
                }
            }
            _ = expected;
        }

        internal static void Write(IEnumerable<CrmRecord> records, string path, RecordFormat format)
        {
            using var writer = RecordWriter.Create(path, new ExportOptions { Format = format });
            foreach (var r in records) writer.Write(r);
            writer.Complete();
        }

        private static void AssertSameRecords(List<CrmRecord> original, List<CrmRecord> back, string expected)
        {
            Assert.Equal(original.Count, back.Count);
            for (var i = 0; i < original.Count; i++)
            {
                var a = original[i];
                var b = back[i];
                Assert.True(ObjectTypes.SameType(a.ObjectType, b.ObjectType), $"record {i}: type {a.ObjectType} came back as {b.ObjectType} ({expected})");
                Assert.Equal(a.Id, b.Id);
                foreach (var field in a)
                {
                    Assert.True(b.TryGet(field.Key, out var value), $"record {i}: field {field.Key} lost");
                    Assert.True(JToken.DeepEquals(JToken.FromObject(field.Value ?? JValue.CreateNull()), JToken.FromObject(value ?? JValue.CreateNull())),
                        $"record {i}: field {field.Key}: {field.Value} came back as {value}");
                }
                // Nothing is added but the Salesforce type marker for records whose format did not carry one.
                Assert.DoesNotContain(b.Names, n => !a.Has(n) && n != "attributes");
            }
        }
    }
}
