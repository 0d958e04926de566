import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentIdentity, StaffOnly } from '../identity/identity.decorators';
import type { StaffIdentity } from '../identity/identity';
import { ERASE_ANSWER, SUBJECT_REPORT } from './audit-views.schema';
import { DataSubjectsService } from './data-subjects.service';
import { EraseSubjectDto } from './dto/erase-subject.dto';

/** KVKK data-subject requests: what Teksin holds about a phone number, and its early erasure (AUDITOR). */
@ApiTags('audit')
@Controller('audit/subjects')
export class DataSubjectsController {
  constructor(private readonly subjects: DataSubjectsService) {}

  @Get()
  @StaffOnly()
  @ApiQuery({ name: 'phone', required: true, example: '0532 123 45 67' })
  @ApiQuery({ name: 'download', required: false, enum: ['true'], description: 'true: as a file to hand to the data subject' })
  @ApiOperation({ summary: 'Everything Teksin holds about one phone number — its tickets with their personal data, its calls, its WhatsApp/SMS messages and their media links, its own texts (answers, reopen reasons), its ratings — and the erasures done (AUDITOR); written to the personal-data read log' })
  @ApiOkResponse({ description: 'With download=true, the same as a file (Content-Disposition: attachment)', schema: SUBJECT_REPORT })
  async report(@Query('phone') phone: string | undefined, @CurrentIdentity() identity: StaffIdentity, @Res({ passthrough: true }) res: Response, @Query('download') download?: string) {
    const report = await this.subjects.report(phone, identity, 'GET /audit/subjects');
    if (download === 'true') res.setHeader('Content-Disposition', `attachment; filename="kvkk-subject-${report.phone.replace(/\D/g, '')}.json"`);
    return report;
  }

  @Post('erase')
  @HttpCode(200)
  @StaffOnly()
  @ApiOperation({ summary: 'Anonymise the closed tickets of a phone number now, with a reason (AUDITOR); recorded in data_erasures. Open tickets are named, not erased' })
  @ApiOkResponse({ schema: ERASE_ANSWER })
  erase(@Body() body: EraseSubjectDto, @CurrentIdentity() identity: StaffIdentity) {
    return this.subjects.erase(body, identity);
  }
}
