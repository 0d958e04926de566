import { Module } from '@nestjs/common';
import { AnalysisController } from './analysis.controller';
import { AnalysisService } from './analysis.service';

@Module({ controllers: [AnalysisController], providers: [AnalysisService] })
export class AnalysisModule {}
