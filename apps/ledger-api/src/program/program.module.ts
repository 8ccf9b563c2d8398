import { Module } from '@nestjs/common';
import { ConfigureProgramHandler } from './configure-program.handler';
import { ProgramController } from './program.controller';
import { SegmentDefinitions } from '../analytics/segment-definitions';

@Module({ controllers: [ProgramController], providers: [ConfigureProgramHandler, SegmentDefinitions] })
export class ProgramModule {}
