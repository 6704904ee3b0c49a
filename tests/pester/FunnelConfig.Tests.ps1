# An admin's regression check of their own funnel status configuration: the file is valid, the statuses
# mean what the team thinks, merges come out as expected, and the export has no integrity violations beyond
# the known ones. Pester 5 syntax; runs under Invoke-Pester and the test project's runner.
# Point $configPath at your own file; the built-in example is used here.

BeforeAll {
    $manifest = if ($env:LEADTOOLS_MODULE) { $env:LEADTOOLS_MODULE } else {
        $outDir = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../out/LeadTools")
        [string[]] $found = if ([System.IO.Directory]::Exists($outDir)) { [System.IO.Directory]::GetFiles($outDir, 'LeadTools.psd1', 'AllDirectories') }
        if (-not $found) { throw "LeadTools is not built: run 'dotnet build' first (looked in $outDir)." }
        [System.Array]::Sort($found, [System.StringComparer]::Ordinal)
        $found[-1]
    }
    Import-Module $manifest -Force
    $configPath = "$TestDrive/funnel.json"
    $null = New-FunnelStatusConfig -Path $configPath
    $config = Import-FunnelStatusConfig -Path $configPath
    $export = Import-CrmRecord "$PSScriptRoot/data/funnel-export.json"
    function Lead($Id, $Status) { [pscustomobject]@{ Id = $Id; Status = $Status; PSTypeName = 'LeadTools.CrmRecord#Lead' } }
    function Member($Id, $LeadId, $Campaign, $Response, $Date) {
        [pscustomobject]@{ Id = $Id; LeadId = $LeadId; CampaignId = $Campaign; CreatedDate = $Date
            FCRM__FCR_Response_Status__c = $Response; FCRM__FCR_Response_Date__c = $Date; PSTypeName = 'LeadTools.CrmRecord#CampaignMember' }
    }
}

Describe 'The status configuration' {
    It 'loads' {
        $config | Should -Not -BeNullOrEmpty
    }

    It 'treats <Status> as <Expected>' -ForEach @(
        @{ Status = 'Working'; Expected = 'active' }
        @{ Status = 'Marketing Qualified'; Expected = 'active' }
        @{ Status = 'Nurture'; Expected = 'inactive' }
        @{ Status = 'Disqualified'; Expected = 'inactive' }
    ) {
        $value = $config.Status('Lead', $Status)
        $value | Should -Not -BeNullOrEmpty
        ($(if ($value.Active) { 'active' } else { 'inactive' })) | Should -Be $Expected
    }

    It 'shuts merged responses down as Resolved - Merged' {
        $config.ResolvedMerged | Should -Be 'Resolved - Merged'
    }

    It 'refuses a broken file and names the key' {
        [System.IO.File]::WriteAllText("$TestDrive/broken.json", '{ "schemaVersion": 1, "leadStatuses": [ { "value": "Working" } ], "contactStatuses": [ { "value": "Active Opportunity", "active": false } ] }')
        { Import-FunnelStatusConfig "$TestDrive/broken.json" -ErrorAction Stop } | Should -Throw -ExpectedMessage "*leadStatuses``[0``].active*"
    }
}

Describe 'Merge outcomes we rely on' {
    It 'keeps the status of the oldest active response (row 5.3-3)' {
        $a = Lead 'L1' 'Working'; $b = Lead 'L2' 'Marketing Qualified'
        $related = (Member 'CM1' 'L1' 'C1' 'Working' '2026-02-01T00:00:00Z'), (Member 'CM2' 'L2' 'C2' 'Marketing Qualified' '2026-01-01T00:00:00Z')
        $outcome = Get-MergeOutcome -Survivor $a -Duplicate $b -RelatedRecord $related -Config $config
        $outcome.Row | Should -Be '5.3-3'
        $outcome.SurvivingStatus | Should -Be 'Marketing Qualified'
        $outcome.ResolvedResponses[0].MemberId | Should -Be 'CM1'
    }

    It 'never lets an inactive pick beat an active response (row 5.3-2)' {
        $a = Lead 'L1' 'Nurture'; $b = Lead 'L2' 'Working'
        $outcome = Get-MergeOutcome -Survivor $a -Duplicate $b -RelatedRecord (Member 'CM1' 'L2' 'C1' 'Working' '2026-01-01T00:00:00Z') -SelectedStatus 'Nurture' -Config $config
        $outcome.Row | Should -Be '5.3-2'
        $outcome.SurvivingStatus | Should -Be 'Working'
    }

    It 'keeps the selected status when everyone is inactive (row 5.3-1)' {
        $outcome = Get-MergeOutcome -Survivor (Lead 'L1' 'Nurture') -Duplicate (Lead 'L2' 'Remarket') -SelectedStatus 'Remarket' -Config $config
        $outcome.Row | Should -Be '5.3-1'
        $outcome.SurvivingStatus | Should -Be 'Remarket'
    }

    It 'refuses a lead and a contact in a same-type group' {
        $contact = [pscustomobject]@{ Id = 'C1'; Status = 'Working'; PSTypeName = 'LeadTools.CrmRecord#Contact' }
        { Get-MergeOutcome -Survivor (Lead 'L1' 'Working') -Duplicate $contact -Config $config -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMergeGroup,*'
    }
}

Describe 'The export' {
    BeforeAll {
        $violations = @($export | Test-FunnelIntegrity -Config $config)
        $responses = @($export | Get-ActiveResponse -Config $config)
    }

    It 'has only the known violations' {
        ($violations | ForEach-Object { "$($_.PersonId):$($_.Kind)" }) -join ',' |
            Should -Be '00Q000000000002AAA:MultipleActiveResponses,00Q000000000003AAA:ActiveStatusWithoutResponse'
    }

    It 'knows every active response' {
        ($responses | Where-Object PersonId -eq '00Q000000000001AAA').ActiveResponseId | Should -Be '00v000000000001AAA'
    }

    It 'sees the buyer''s opportunity-active response' {
        $buyer = $responses | Where-Object PersonId -eq '003000000000001AAA'
        $buyer.OpportunityActiveResponses | Should -HaveCount 1
        $buyer.ActiveResponseId | Should -BeNullOrEmpty
    }
}
