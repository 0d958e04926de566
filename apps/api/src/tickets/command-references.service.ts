import { Injectable } from '@nestjs/common';
import { OrganisationRepository } from '../../../../libs/database/src/organisation.repository';
import { ApiErrorCode } from '../common/api-error-code';
import { ApiProblem, type FieldError } from '../common/problem';
import type { ReferenceKind } from './ticket-command.table';
import { TicketQueryService } from './ticket-query.service';

/** What a command learns from the references it names (today: the expert's department). */
export interface ReferenceFacts {
  expertDepartmentId?: string;
}

/**
 * Checks the references a command's body names before it is sent: a typo is the caller's
 * mistake, a 400 naming each wrong field (the workflow would only say "not found").
 */
@Injectable()
export class CommandReferences {
  constructor(
    private readonly organisation: OrganisationRepository,
    private readonly query: TicketQueryService,
  ) {}

  async check(refs: Partial<Record<string, ReferenceKind>>, body: object): Promise<ReferenceFacts> {
    const facts: ReferenceFacts = {};
    const errors: FieldError[] = [];
    for (const [field, kind] of Object.entries(refs)) {
      const value = (body as Record<string, unknown>)[field];
      if (typeof value !== 'string' || !kind) continue; // absent optional field; validation checked the type
      const problem = await this.checkOne(kind, value, facts);
      if (problem) errors.push({ field, messages: [problem] });
    }
    if (errors.length) {
      throw new ApiProblem(ApiErrorCode.VALIDATION_FAILED, errors.map((e) => `${e.field}: ${e.messages[0]}`).join('; '), { errors });
    }
    return facts;
  }

  /** The problem with one reference, or null when it exists (recording what the command learns). */
  private async checkOne(kind: ReferenceKind, value: string, facts: ReferenceFacts): Promise<string | null> {
    switch (kind) {
      case 'department':
        return (await this.organisation.findDepartment(value)) ? null : `unknown department "${value}" (see GET /departments)`;
      case 'category':
        return (await this.organisation.findActiveCategory(value)) ? null : `unknown category "${value}" (see GET /categories)`;
      case 'institution':
        return (await this.organisation.findReferralInstitution(value)) ? null : `unknown institution "${value}" (see GET /institutions)`;
      case 'expert': {
        const expert = await this.organisation.findActiveWithRole(value, 'EXPERT');
        if (!expert) return `"${value}" is not an active expert`;
        facts.expertDepartmentId = expert.departmentId ?? '';
        return null;
      }
      case 'ticket':
        return (await this.query.exists(value)) ? null : `ticket ${value} does not exist`;
    }
  }
}
