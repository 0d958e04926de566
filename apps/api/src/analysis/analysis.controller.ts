import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ANALYSIS_DEPARTMENT_REPORT, ANALYSIS_HOT_SPOTS, ANALYSIS_SUMMARY } from './analysis-views.schema';
import { CurrentIdentity, StaffOnly } from '../identity/identity.decorators';
import type { StaffIdentity } from '../identity/identity';
import { CSV_TYPE, exportAs, XLSX_TYPE } from './analysis-export';
import { AnalysisQueryDto, HotSpotsQueryDto } from './analysis-query.dto';
import { departmentReportTables, hotSpotTables, summaryTables } from './analysis-tables';
import { AnalysisService } from './analysis.service';

const ROLES = 'COORDINATOR, AUDITOR, ADMIN: everything; DEPARTMENT_HEAD: their own department only';

/** The analysis center: service figures from PostgreSQL, as JSON, CSV (one table) or XLSX (every table). */
@ApiTags('analysis')
@Controller('analysis')
export class AnalysisController {
  constructor(private readonly analysis: AnalysisService) {}

  @Get('summary')
  @StaffOnly()
  @ApiOperation({ summary: `Volumes, registration rate, speed and quality for a period [from, to) and filters (${ROLES})` })
  @ApiProduces('application/json', CSV_TYPE, XLSX_TYPE)
  @ApiOkResponse({ schema: ANALYSIS_SUMMARY })
  @ApiBadRequestResponse({ description: 'A field is invalid (named), or the period is empty or longer than two years' })
  @ApiForbiddenResponse({ description: 'Not a role that reads figures, or another department than the head’s own' })
  async summary(@Query() query: AnalysisQueryDto, @CurrentIdentity() identity: StaffIdentity) {
    const labels = await this.analysis.exportLabels(query);
    return exportAs(query.format, query.table, await this.analysis.summary(identity, query), (f) => summaryTables(f, labels), 'summary', query.lang);
  }

  @Get('departments/:id/report')
  @StaffOnly()
  @ApiOperation({ summary: `One department's figures, worst categories, oldest open tickets and slowest approval level (${ROLES})` })
  @ApiProduces('application/json', CSV_TYPE, XLSX_TYPE)
  @ApiOkResponse({ schema: ANALYSIS_DEPARTMENT_REPORT })
  @ApiNotFoundResponse({ description: 'No such department' })
  @ApiForbiddenResponse({ description: 'Not a role that reads figures, or another department than the head’s own' })
  async departmentReport(@Param('id') id: string, @Query() query: AnalysisQueryDto, @CurrentIdentity() identity: StaffIdentity) {
    const labels = await this.analysis.exportLabels(query);
    return exportAs(query.format, query.table, await this.analysis.departmentReport(identity, id, query), (r) => departmentReportTables(r, labels), `department-${id}`, query.lang);
  }

  @Get('hot-spots')
  @StaffOnly()
  @ApiOperation({ summary: `Open tickets by neighbourhood and category, and the neighbourhoods whose volume this week is far above their usual (${ROLES})` })
  @ApiProduces('application/json', CSV_TYPE, XLSX_TYPE)
  @ApiOkResponse({ schema: ANALYSIS_HOT_SPOTS })
  @ApiForbiddenResponse({ description: 'Not a role that reads figures, or another department than the head’s own' })
  async hotSpots(@Query() query: HotSpotsQueryDto, @CurrentIdentity() identity: StaffIdentity) {
    const labels = await this.analysis.exportLabels(query);
    return exportAs(query.format, query.table, await this.analysis.hotSpots(identity, query), (h) => hotSpotTables(h, labels), 'hot-spots', query.lang);
  }
}
